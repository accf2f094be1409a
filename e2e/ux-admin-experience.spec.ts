import { readFileSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "./support/csp-fixture";
import type { RegisteredApp } from "@mail-connect/m365-sandbox/control-client";
import { APP_URL } from "./support/stack-config";
import { configureForSandbox, REDIRECT_URI, sandboxControl } from "./support/sandbox-pages";
import { confirmPasswordWhenAsked } from "./support/password-prompt";

/**
 * (Named to run after the other specs: it leaves Email Settings configured for the sandbox.)
 * Issue 16, the administrator's experience: with test history and audit events every page holds at
 * 390 px and passes axe in light and dark mode; one save lists every field error in a summary that
 * takes the focus; save feedback next to Save; a leave warning; the stored Server Base URL after
 * save; the page in step order with the next step named; the readable audit trail and its CSV export.
 */
test.describe.configure({ mode: "serial" });

const control = sandboxControl();
let app: RegisteredApp;

test.beforeAll(async ({ browser }) => {
  app = await control.registerApp({ displayName: "Mail Connect (e2e experience)", redirectUris: [REDIRECT_URI] });
  const page = await (await browser.newContext()).newPage();
  // Saving where the secret goes asks for the password when the last confirmation is older than 5 minutes.
  await confirmPasswordWhenAsked(page);
  await configureForSandbox(page, { clientId: app.clientId, secret: app.secretValue });
  // History: a run without any Microsoft connection fails with diagnoses (the widest cards).
  await page.getByRole("button", { name: "Test Email Configuration" }).click();
  await expect(page.getByTestId("run-summary")).toBeVisible({ timeout: 60_000 });
  await page.context().close();
});

async function expectAccessible(page: Page, where: string): Promise<void> {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(
    bad.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
    `axe on ${where}`,
  ).toEqual([]);
}

for (const width of [1280, 390]) {
  for (const colorScheme of ["light", "dark"] as const) {
    test.describe(`with history, at ${width} px, ${colorScheme}`, () => {
      test.use({ viewport: { width, height: 900 }, colorScheme });
      for (const path of ["/settings/general", "/settings/email", "/settings/audit"]) {
        test(`${path}: no sideways scroll, axe clean`, async ({ page }, testInfo) => {
          await page.goto(path);
          await page.waitForLoadState("networkidle");
          if (path === "/settings/email") {
            // open a history entry: its cards are the widest content
            await page.getByTestId("test-history").locator("summary").first().click();
          }
          const { scrollWidth, innerWidth } = await page.evaluate(() => ({
            scrollWidth: document.documentElement.scrollWidth,
            innerWidth: window.innerWidth,
          }));
          expect(scrollWidth, `${path} wider than the window`).toBeLessThanOrEqual(innerWidth);
          await expectAccessible(page, `${path} with history at ${width} px, ${colorScheme}`);
          await testInfo.attach(`${path} with history at ${width} px, ${colorScheme}`, {
            body: await page.screenshot({ fullPage: true }),
            contentType: "image/png",
          });
        });
      }
    });
  }
}

test("one save lists every field error in a summary that takes the focus, with links to the fields", async ({
  page,
}) => {
  await page.goto("/settings/email");
  await page.getByLabel("SMTP host").fill("https://not a host");
  await page.getByLabel("SMTP port").fill("99999");
  await page.getByLabel("Tenant Id").fill("");
  await page.getByRole("button", { name: "Save" }).click();
  const summary = page.getByTestId("error-summary");
  await expect(summary).toBeFocused();
  const shown = await page.locator("form[aria-label='Email Settings'] .field .error").allTextContents();
  expect(shown.length).toBeGreaterThanOrEqual(2);
  // The summary lists exactly what the schema reported next to the fields.
  expect((await summary.getByRole("link").allTextContents()).sort()).toEqual([...shown].sort());
  await summary.getByRole("link", { name: /SMTP port/ }).click();
  await expect(page.getByLabel("SMTP port")).toBeFocused();
});

test("save feedback is next to Save; leaving with unsaved changes asks first", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 700 });
  await page.goto("/settings/email");
  await page.getByLabel("SMTP host").fill("127.0.0.1");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("save-status")).toContainText(/Email Settings saved|Saved \(nothing had changed\)/);
  await expect(page.getByTestId("save-status")).toBeInViewport();

  await page.getByLabel("From address").fill("changed@contoso.test");
  let asked = "";
  page.once("dialog", (d) => {
    asked = d.message();
    void d.dismiss();
  });
  await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "General Settings" }).click();
  expect(asked).toMatch(/unsaved changes/);
  await expect(page).toHaveURL(/\/settings\/email/);
});

test("the Server Base URL field shows the stored (normalised) value after save", async ({ page }) => {
  await page.goto("/settings/general");
  const field = page.getByLabel("Server Base URL");
  await field.fill(`${APP_URL.replace("localhost", "LOCALHOST")}//`);
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("save-status")).toContainText(/saved|nothing had changed/);
  await expect(field).toHaveValue(APP_URL);
});

test("Email Settings in step order (settings, connections, test) and the next step named", async ({ page }) => {
  await page.goto("/settings/email");
  const order = await page.evaluate(() =>
    ["form[aria-label='Email Settings']", "#microsoft-connections", "[data-testid=test-email-results]"].map(
      (s) => document.querySelector(s)?.getBoundingClientRect().top ?? -1,
    ),
  );
  expect(order[0]).toBeLessThan(order[1]);
  expect(order[1]).toBeLessThan(order[2]);
  await expect(page.getByTestId("next-step")).toHaveText(/^Next: Authorize \S+@contoso\.test/);
});

test("Email Settings by keyboard: skip link, then the fields in reading order, Save and Test before Authorize", async ({
  page,
}) => {
  await page.goto("/settings/email");
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Skip to content" })).toBeFocused();
  await page.keyboard.press("Enter");
  const seen: string[] = [];
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press("Tab");
    seen.push(
      await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        return el?.id || el?.textContent?.trim().replace(/\s+/g, " ") || "";
      }),
    );
  }
  const at = (name: string | RegExp) => seen.findIndex((s) => (typeof name === "string" ? s === name : name.test(s)));
  const fields = ["smtpAuthType", "smtpHost", "smtpPort", "smtpSecurity", "smtpUser", "smtpFrom", "imapUser"];
  const positions = fields.map(at);
  expect(
    positions.every((p) => p >= 0),
    `reached: ${seen.join(" | ")}`,
  ).toBe(true);
  expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  const save = at("Save");
  const testButton = at("Test Email Configuration");
  const authorize = at(/^(Re-)?Authorize /);
  expect(save).toBeGreaterThan(at("msClientId"));
  expect(testButton).toBeGreaterThan(save);
  expect(authorize).toBeGreaterThan(testButton);
});

test("audit trail: plain language, old → new values, filter, CSV export with formula cells escaped", async ({
  page,
}) => {
  await page.goto("/settings/email");
  await page.getByLabel("From address").fill("+alerts@contoso.test");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("save-status")).toContainText("Email Settings saved");

  await page.goto("/settings/audit");
  const table = page.getByTestId("audit-table");
  await expect(table).toContainText(/Test Email Configuration: \d of 4 checks passed/);
  await expect(table).not.toContainText("settings.email.tested");
  await expect(table).toContainText("From address: ");
  await expect(table).toContainText("→ +alerts@contoso.test");
  await expect(table).not.toContainText(app.secretValue);

  await page.getByLabel("Event").selectOption("settings.email.saved");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/event=settings\.email\.saved/);
  await expect(table).not.toContainText("Test Email Configuration:");
  await expect(table).toContainText("Email Settings saved");

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Export CSV" }).click(),
  ]);
  const csv = readFileSync(await download.path(), "utf8");
  expect(csv.split("\r\n")[0]).toBe(
    '"When (UTC)","Who","What","Event","Target","Setting","Old value","New value","Details"',
  );
  expect(csv).toContain('"smtpFrom",');
  expect(csv).toContain(`"'+alerts@contoso.test"`); // escaped: never read as a formula
  expect(csv).not.toContain('"+alerts@contoso.test"');
  expect(csv).not.toContain("settings.email.tested");
  expect(csv).not.toContain(app.secretValue);

  const signedOut = await page
    .context()
    .browser()!
    .newContext({ storageState: { cookies: [], origins: [] } });
  const res = await signedOut.request.get(`${APP_URL}/settings/audit/export`, { ignoreHTTPSErrors: true });
  expect(res.status()).toBe(401);
  await signedOut.close();
});
