import { expect, test, type Page } from "./support/csp-fixture";
import { sandboxControl } from "./support/sandbox-pages";
import { cardOf, connectBothMailboxes, disconnectBothMailboxes, testButton } from "./support/test-email-page";

/**
 * Test Email Configuration's live progress: with the sandbox's IMAP server answering slowly, the
 * token and SMTP cards are final while IMAP still runs (showing its phase and time limit, never a
 * negative time); Cancel stops a run on the server, which stores it as cancelled.
 */
test.describe.configure({ mode: "serial" });

const control = sandboxControl();
const IMAP_DELAY_MS = 1500; // before each IMAP response: greeting, CAPABILITY, AUTHENTICATE, SELECT …

test.beforeAll(async ({ browser }) => {
  await connectBothMailboxes(control, browser, "Mail Connect (e2e live test email)");
});

test.afterAll(async ({ browser }) => {
  await control.setLatency({ imap: 0 });
  await disconnectBothMailboxes(browser);
});

/** Records every elapsed time a running card shows (to prove none is negative, first frame included). */
async function watchRunningTimes(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { runningTimes: string[] }).runningTimes = seen;
    const record = () => {
      for (const el of document.querySelectorAll('[data-status="running"] [data-testid="elapsed"]'))
        seen.push(el.textContent ?? "");
    };
    new MutationObserver(record).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

test("cards become final one by one while a slow check is still running", async ({ page }) => {
  await control.setLatency({ imap: IMAP_DELAY_MS });
  try {
    await page.goto("/settings/email");
    await watchRunningTimes(page);
    await testButton(page).click();
    // IMAP is still running (its phase and limit on the card) while the others are already final.
    for (const id of ["smtp-token", "smtp", "imap-token"])
      await expect(cardOf(page, id)).toHaveAttribute("data-status", "ok", { timeout: 20_000 });
    const imap = cardOf(page, "imap");
    await expect(imap).toHaveAttribute("data-status", "running");
    await expect(imap.getByTestId("progress")).toContainText(/Now: (DNS \+ connect|TLS|token wait|authenticate)/);
    await expect(imap.getByTestId("progress")).toContainText("overall timeout 30 s, connect 10 s");
    await expect(cardOf(page, "smtp").getByTestId("summary")).toContainText("Sent a test message");
    await expect(page.getByTestId("run-summary")).toHaveCount(0);
    await expect(page.getByTestId("test-email-results")).toContainText("3 of 4 checks finished.");

    await expect(imap).toHaveAttribute("data-status", "ok", { timeout: 30_000 });
    await expect(page.getByTestId("run-summary")).toContainText("All checks passed.");
    const times = await page.evaluate(() => (window as unknown as { runningTimes: string[] }).runningTimes);
    expect(times.length).toBeGreaterThan(0);
    for (const t of times) expect(t).toMatch(/^\d+\.\d s$/);
  } finally {
    await control.setLatency({ imap: 0 });
  }
});

test("Cancel stops a run on the server; it is stored as cancelled", async ({ page }) => {
  await control.setLatency({ imap: 4000 });
  try {
    await page.goto("/settings/email");
    await testButton(page).click();
    await expect(cardOf(page, "smtp")).toHaveAttribute("data-status", "ok", { timeout: 20_000 });
    await expect(cardOf(page, "imap")).toHaveAttribute("data-status", "running");
    const started = Date.now();
    await page.getByRole("button", { name: "Cancel the test" }).click();
    await expect(page.getByTestId("run-summary")).toContainText("Test cancelled.", { timeout: 5_000 });
    expect(Date.now() - started).toBeLessThan(4_000); // well before IMAP's next reply would end it
    await expect(page.getByTestId("run-next")).toContainText("Cancelled: 3 of 4 checks finished");
    await expect(cardOf(page, "imap")).toHaveAttribute("data-status", "cancelled");
    await expect(cardOf(page, "smtp")).toHaveAttribute("data-status", "ok");
    await expect(page.getByTestId("test-history").locator("tbody tr").first()).toContainText("Cancelled");
    await page.reload(); // stored in the database, not only in the page
    const row = page.getByTestId("test-history").locator("tbody tr").first();
    await expect(row).toContainText("Cancelled");
    await row.locator("summary").first().click();
    await expect(row.getByTestId(/card-imap$/)).toHaveAttribute("data-status", "cancelled");
    // A finished run cannot be cancelled again.
    await control.setLatency({ imap: 0 });
    const id = await page.evaluate(async () => {
      const res = await fetch("/api/test-email", { method: "POST", body: new FormData() });
      const first = (await res.text()).split("\n")[0] ?? "{}";
      return (JSON.parse(first) as { runId: string }).runId;
    });
    const again = await page.evaluate(async (runId) => {
      const body = new FormData();
      body.set("id", runId);
      return (await fetch("/api/test-email/cancel", { method: "POST", body })).status;
    }, id);
    expect(again).toBe(409);
  } finally {
    await control.setLatency({ imap: 0 });
  }
});
