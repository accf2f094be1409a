import { createHmac } from "node:crypto";
import { SEED_TENANT } from "@mail-connect/m365-sandbox/seed";
import { startWebhookReceiver } from "../test/support/webhook-receiver";
import { expect, test } from "./support/csp-fixture";
import { confirmPasswordWhenAsked } from "./support/password-prompt";
import { sandboxControl } from "./support/sandbox-pages";
import { connectBothMailboxes, disconnectBothMailboxes } from "./support/test-email-page";

/**
 * The Status page: Run checks now, each mailbox's state and uptime, a webhook with its test event (the
 * signature checked here), a failure (SMTP AUTH disabled at the sandbox) with its diagnosis in the
 * timeline and in the banner, and the recovery — each announced once to the webhook.
 */
test.describe.configure({ mode: "serial" });

const control = sandboxControl();
const SECRET = "e2e-webhook-secret-0123456789";
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

test.beforeAll(async ({ browser }) => {
  receiver = await startWebhookReceiver();
  await connectBothMailboxes(control, browser, "Mail Connect (e2e status)");
});

test.afterAll(async ({ browser }) => {
  await control.setTenantSmtpAuth(SEED_TENANT.id, true);
  const page = await browser.newPage();
  await confirmPasswordWhenAsked(page);
  await page.goto("/settings/status");
  const form = page.getByRole("form", { name: "Monitoring settings" });
  await form.getByLabel("Alert webhook URL (optional)").fill("");
  await form.getByRole("button", { name: "Save monitoring settings" }).click();
  await expect(page.getByTestId("save-status")).toContainText(/saved/i);
  await page.close();
  await disconnectBothMailboxes(browser);
  await receiver.stop();
});

const events = () => receiver.received.map((h) => (JSON.parse(h.body) as { type: string }).type);

test("run the checks, set up the webhook, see a failure with its diagnosis and the recovery", async ({ page }) => {
  await confirmPasswordWhenAsked(page);
  await page.goto("/settings/status");
  await expect(page.getByRole("heading", { level: 1, name: "Status" })).toBeVisible();
  await expect(page.getByText(/stops after AUTH, before MAIL FROM and DATA/)).toBeVisible();

  await page.getByRole("button", { name: "Run checks now" }).click();
  await expect(page.getByText("Checked: every mailbox works.")).toBeVisible();
  await expect(page.getByTestId("status-smtp-state")).toContainText("Working");
  await expect(page.getByTestId("status-imap-state")).toContainText("Working");
  await expect(page.getByTestId("status-smtp")).toContainText("Uptime 24 h: 100.0 %");

  const form = page.getByRole("form", { name: "Monitoring settings" });
  await form.getByLabel("Alert webhook URL (optional)").fill(receiver.url);
  await form.getByLabel("Webhook secret").fill(SECRET);
  await form.getByRole("button", { name: "Save monitoring settings" }).click();
  await expect(page.getByTestId("save-status")).toContainText("Monitoring settings saved.");

  await page.getByRole("button", { name: "Send test event" }).click();
  await expect(page.getByText(/Test event delivered \(Delivered: HTTP 200\)/)).toBeVisible();
  expect(events()).toEqual(["test"]);
  const hook = receiver.received[0]!;
  // as a receiver checks it: HMAC-SHA256 over "<timestamp>.<body>" with the shared secret
  const timestamp = hook.headers["x-mail-connect-timestamp"] as string;
  expect(Math.abs(Date.now() / 1000 - Number(timestamp))).toBeLessThan(60);
  const expected = createHmac("sha256", SECRET).update(`${timestamp}.${hook.body}`).digest("hex");
  expect(hook.headers["x-mail-connect-signature"]).toBe(`sha256=${expected}`);

  await control.setTenantSmtpAuth(SEED_TENANT.id, false);
  await page.getByRole("button", { name: "Run checks now" }).click();
  await expect(page.getByText("Checked: SMTP sender fails.")).toBeVisible();
  await expect(page.getByTestId("status-smtp-state")).toContainText("Failing since");
  await expect(page.getByTestId("status-smtp-failures")).toContainText("still failing");
  await expect(page.getByTestId("status-smtp-failures")).toContainText(/SMTP AUTH/i);
  await expect(page.getByTestId("failing-mailbox")).toContainText("SMTP sender (mailer@contoso.test) is failing since");
  expect(events()).toEqual(["test", "mailbox.failing"]);

  await page.getByRole("button", { name: "Run checks now" }).click(); // still failing: no second alert
  await expect(page.getByText("Checked: SMTP sender fails.")).toBeVisible();
  expect(events()).toEqual(["test", "mailbox.failing"]);

  await control.setTenantSmtpAuth(SEED_TENANT.id, true);
  await page.getByRole("button", { name: "Run checks now" }).click();
  await expect(page.getByText("Checked: every mailbox works.")).toBeVisible();
  await expect(page.getByTestId("status-smtp-state")).toContainText("Working");
  await expect(page.getByTestId("failing-mailbox")).toHaveCount(0);
  await expect(page.getByTestId("status-smtp-failures").locator("tbody tr")).toHaveCount(1);
  expect(events()).toEqual(["test", "mailbox.failing", "mailbox.recovered"]);
  await expect(page.getByTestId("status-alerts")).toContainText("A mailbox works again: mailer@contoso.test");
});
