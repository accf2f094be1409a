import { expect, test, type Browser, type Page } from "./support/csp-fixture";
import { ADMIN_STATE_FILE, APP_URL, E2E_ADMIN } from "./support/stack-config";
import { captureServerAction } from "./support/server-actions";
import type { RegisteredApp } from "@mail-connect/m365-sandbox/control-client";
import {
  authorizeButton,
  configureForSandbox,
  connectionStatus,
  REDIRECT_URI,
  sandboxControl,
  signInAtSandbox,
} from "./support/sandbox-pages";
import { SEED_TENANT, SEED_USERS } from "@mail-connect/m365-sandbox/seed";

/**
 * Test Email Configuration in the browser: connect the SMTP and IMAP accounts through the sandbox's
 * sign-in pages, click the button next to Save, read the cards; a failure shows its diagnosis; the
 * run history; unsaved changes; the action refuses signed-out callers and malformed input.
 */
test.describe.configure({ mode: "serial" });

const control = sandboxControl();
const mailer = SEED_USERS.mailer;
const approvals = SEED_USERS.approvals;
let app: RegisteredApp;

const configure = (page: Page) => configureForSandbox(page, { clientId: app.clientId, secret: app.secretValue });

async function authorize(page: Page, role: "smtp" | "imap", user: { email: string; password: string }): Promise<void> {
  await control.clearSessions(); // a browser not yet signed in to Microsoft: the sign-in page, not the picker
  await page.goto("/settings/email");
  await authorizeButton(page, role).click();
  await signInAtSandbox(page, user);
  await expect(page).toHaveURL(/\/settings\/email\?oauth=/);
  await expect(connectionStatus(page, role)).toContainText(`Connected as ${user.email} since`);
}

const adminPage = async (browser: Browser): Promise<Page> =>
  (await browser.newContext({ storageState: ADMIN_STATE_FILE, ignoreHTTPSErrors: true })).newPage();
const cardOf = (page: Page, id: string) => page.getByTestId("test-email-results").getByTestId(`card-${id}`);
const testButton = (page: Page) => page.getByRole("button", { name: "Test Email Configuration" });

test.beforeAll(async ({ browser }) => {
  app = await control.registerApp({ displayName: "Mail Connect (e2e test email)", redirectUris: [REDIRECT_URI] });
  await control.setAccessTokenLifetime(3599);
  await control.setTenantSmtpAuth(SEED_TENANT.id, true);
  const page = await adminPage(browser);
  await configure(page);
  await authorize(page, "smtp", mailer);
  await authorize(page, "imap", approvals);
  await page.context().close();
});

test.afterAll(async ({ browser }) => {
  await control.setTenantSmtpAuth(SEED_TENANT.id, true);
  // Leave no connection behind for the other specs.
  const page = await adminPage(browser);
  await page.goto("/settings/email");
  for (const role of ["smtp", "imap"] as const) {
    const card = page.getByTestId(`connection-${role}`);
    const disconnect = card.getByRole("button", { name: "Disconnect" });
    if (await disconnect.count()) {
      await disconnect.click();
      await card.getByRole("button", { name: "Yes, disconnect" }).click();
      await expect(card).toContainText("Not connected.");
    }
  }
  await page.context().close();
});

test("all green: the test message reaches the admin's mailbox, the inbox is read, the run is in the history", async ({
  page,
}) => {
  await page.goto("/settings/email");
  const before = (await control.messages(E2E_ADMIN.email)).length;
  await testButton(page).click();
  for (const id of ["smtp-token", "smtp", "imap-token", "imap"]) {
    await expect(cardOf(page, id)).toHaveAttribute("data-status", "ok", { timeout: 30_000 });
  }
  await expect(page.getByTestId("run-summary")).toContainText("All checks passed.");
  await expect(cardOf(page, "smtp").getByTestId("summary")).toContainText(
    `Sent a test message from ${mailer.email} to ${E2E_ADMIN.email}`,
  );
  const phases = async (id: string) =>
    (await cardOf(page, id).getByTestId("phase").allTextContents()).filter((t) => !t.startsWith("token wait"));
  expect(await phases("smtp")).toEqual([
    expect.stringMatching(/^DNS \+ connect \d+ ms$/),
    expect.stringMatching(/^TLS \d+ ms$/),
    expect.stringMatching(/^authenticate \d+ ms$/),
    expect.stringMatching(/^send \d+ ms$/),
  ]);
  await expect(cardOf(page, "smtp").getByTestId("server-response")).toContainText("250 2.0.0 OK");
  await expect(cardOf(page, "imap").getByTestId("summary")).toContainText(`as ${approvals.email} and opened INBOX`);
  expect(await phases("imap")).toEqual([
    expect.stringMatching(/^DNS \+ connect/),
    expect.stringMatching(/^TLS/),
    expect.stringMatching(/^authenticate/),
    expect.stringMatching(/^SELECT INBOX \d+ ms$/),
  ]);
  await expect(cardOf(page, "smtp-token").getByTestId("summary")).toContainText(`Access token for ${mailer.email}`);

  const inbox = await control.messages(E2E_ADMIN.email);
  expect(inbox.length).toBe(before + 1);
  const mail = inbox.at(-1)!;
  expect(mail.subject).toMatch(/^Mail Connect test message \d\d:\d\d:\d\d UTC \(run [0-9a-f]{8}\)$/);
  const body = mail.raw.replace(/=\r?\n/g, ""); // quoted-printable soft line breaks
  expect(body).toContain(
    `Requested by: ${E2E_ADMIN.name} <${E2E_ADMIN.email}>, who clicked "Test Email Configuration"`,
  );
  expect(body).toContain(`Sent by: ${APP_URL}`);

  const history = page.getByTestId("test-history");
  await expect(history.locator("tbody tr").first()).toContainText(E2E_ADMIN.email);
  await expect(history.locator("tbody tr").first()).toContainText("Passed");
  await page.reload();
  await expect(page.getByTestId("test-history").locator("tbody tr").first()).toContainText("Passed");
});

test("a failure shows the server reply, the diagnosis and the fix (SMTP AUTH disabled for the tenant)", async ({
  page,
}) => {
  await control.setTenantSmtpAuth(SEED_TENANT.id, false);
  try {
    await page.goto("/settings/email");
    await testButton(page).click();
    const smtp = cardOf(page, "smtp");
    await expect(smtp).toHaveAttribute("data-status", "failed", { timeout: 30_000 });
    await expect(smtp.getByTestId("summary")).toContainText("SMTP AUTH is disabled for the tenant (535 5.7.139)");
    await expect(smtp.getByTestId("server-response")).toContainText(
      "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant",
    );
    await expect(smtp.getByTestId("hint")).toContainText("Enable Authenticated SMTP for mailer@contoso.test");
    await expect(cardOf(page, "imap")).toHaveAttribute("data-status", "ok");
    await expect(page.getByTestId("run-summary")).toContainText("3 of 4 checks passed.");
    await expect(page.getByTestId("test-history").locator("tbody tr").first()).toContainText("Failed");
    await page
      .getByTestId("test-email-results")
      .screenshot({ path: test.info().outputPath("test-email-failure-cards.png") });
  } finally {
    await control.setTenantSmtpAuth(SEED_TENANT.id, true);
  }
});

test("unsaved changes: the button says so and offers to save first", async ({ page }) => {
  await page.goto("/settings/email");
  await page.getByLabel("From address").fill("someone@contoso.test");
  await testButton(page).click();
  await expect(page.getByText("You have unsaved changes. The test uses the saved settings: save first?")).toBeVisible();
  await expect(page.getByRole("button", { name: "Save and test" })).toBeVisible();
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByText("You have unsaved changes. The test uses the saved settings")).toBeHidden();
});

test("the action refuses signed-out callers and malformed input, never with a 500", async ({ page, browser }) => {
  await page.goto("/settings/email");
  const action = await captureServerAction(page, async () => {
    await testButton(page).click();
  });
  await expect(cardOf(page, "imap")).toHaveAttribute("data-status", /ok|failed|skipped/, { timeout: 30_000 });
  for (const body of [JSON.stringify([{ runAs: "someone" }]), JSON.stringify(["x"]), JSON.stringify([null])]) {
    const res = await page.request.post(action.url, { headers: action.headers, data: body });
    expect(res.status(), `status for ${body}`).toBeLessThan(500);
    expect(await res.text(), body).toContain("Some fields need attention.");
  }
  const anonymous = await browser.newContext({ storageState: { cookies: [], origins: [] }, ignoreHTTPSErrors: true });
  const before = (await control.messages(E2E_ADMIN.email)).length;
  const res = await anonymous.request.post(action.url, { headers: action.headers, data: JSON.stringify([{}]) });
  expect(res.status()).toBeLessThan(500);
  expect(await res.text()).toContain("Your session has ended");
  expect((await control.messages(E2E_ADMIN.email)).length).toBe(before);
  await anonymous.close();
});
