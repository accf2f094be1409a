import { expect, test } from "./support/csp-fixture";
import { APP_URL, E2E_ADMIN } from "./support/stack-config";
import { sandboxControl, saveServerBaseUrl } from "./support/sandbox-pages";
import { cardOf, connectBothMailboxes, disconnectBothMailboxes, testButton } from "./support/test-email-page";
import { SEED_TENANT, SEED_USERS } from "@mail-connect/m365-sandbox/seed";
import { confirmPasswordWhenAsked } from "./support/password-prompt";

/**
 * Test Email Configuration in the browser: connect the SMTP and IMAP accounts through the sandbox's
 * sign-in pages, click the button next to Save, read the cards; a failure shows its diagnosis, first,
 * with its fix to copy and the right next step; the run history by check name; unsaved changes and
 * Save and test; the recipient field; the route refuses signed-out callers and malformed input.
 * (Live progress and Cancel: test-email-live.spec.ts.)
 */
test.describe.configure({ mode: "serial" });

// The suite runs longer than the 5-minute re-confirmation window: confirm the prompt when it appears.
test.beforeEach(async ({ page }) => confirmPasswordWhenAsked(page));

const control = sandboxControl();
const mailer = SEED_USERS.mailer;
const approvals = SEED_USERS.approvals;

test.beforeAll(async ({ browser }) => {
  await connectBothMailboxes(control, browser, "Mail Connect (e2e test email)");
});

test.afterAll(async ({ browser }) => {
  await control.setTenantSmtpAuth(SEED_TENANT.id, true);
  await disconnectBothMailboxes(browser);
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
    expect.stringMatching(/^greeting\/EHLO \d+ ms$/),
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
    // The failure first; the passed checks collapsed to their one sentence.
    const results = page.getByTestId("test-email-results");
    await expect(results.locator("article").first()).toHaveAttribute("data-testid", "card-smtp");
    await expect(cardOf(page, "imap").getByTestId("summary")).toBeVisible();
    await expect(cardOf(page, "imap").getByTestId("phase").first()).toBeHidden();
    await cardOf(page, "imap").getByTestId("summary").click();
    await expect(cardOf(page, "imap").getByTestId("phase").first()).toBeVisible();
    await expect(smtp.getByTestId("phase").first()).toBeVisible();
    // The fix as code blocks to copy: the PowerShell command and the admin-center clicks.
    const command = smtp.getByTestId("fix-code").filter({
      hasText: "Set-CASMailbox -Identity mailer@contoso.test -SmtpClientAuthenticationDisabled $false",
    });
    await expect(command.locator("code")).toHaveText(
      "Set-CASMailbox -Identity mailer@contoso.test -SmtpClientAuthenticationDisabled $false",
    );
    await expect(
      smtp.getByTestId("fix-code").filter({ hasText: "Users → Active users → mailer@contoso.test → Mail" }),
    ).toHaveCount(1);
    await command.getByRole("button", { name: "Copy PowerShell command" }).click();
    await expect(command.getByRole("button", { name: "Copied PowerShell command" })).toBeVisible();
    // What next: the fix is at Microsoft, not "save, then test again".
    await expect(page.getByTestId("run-next")).toContainText(
      "the fix is in the Microsoft 365 admin center, not in these settings",
    );
    await expect(page.getByTestId("run-next")).not.toContainText("save, then test again");
    // The history names the checks as people read them.
    const row = page.getByTestId("test-history").locator("tbody tr").first();
    await expect(row).toContainText("Failed");
    await expect(row.locator("summary").first()).toContainText("Microsoft token for the SMTP account");
    await expect(row.locator("summary").first()).toContainText("SMTP: send a test message");
    await expect(row.locator("summary").first()).not.toContainText("smtp-token");
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

test("Save and test saves, then runs the test; the prompt and the unsaved mark go away", async ({ page }) => {
  await page.goto("/settings/email");
  const from = page.getByLabel("From address");
  const before = await from.inputValue();
  await from.fill(mailer.email); // the SMTP user itself: allowed as From
  await testButton(page).click();
  await page.getByRole("button", { name: "Save and test" }).click();
  await expect(page.getByText("You have unsaved changes. The test uses the saved settings")).toBeHidden();
  await expect(page.getByText("Unsaved changes", { exact: true })).toBeHidden();
  await expect(page.getByTestId("run-summary")).toContainText("All checks passed.", { timeout: 30_000 });
  await page.reload();
  await expect(page.getByLabel("From address")).toHaveValue(mailer.email);
  await page.getByLabel("From address").fill(before);
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByText(/Email Settings saved|Saved \(nothing had changed\)/)).toBeVisible();
});

test("the recipient field: another address gets this run's test message; a malformed one is refused at the field", async ({
  page,
}) => {
  await page.goto("/settings/email");
  const recipient = page.getByLabel("Send the test message to");
  await expect(recipient).toHaveValue(E2E_ADMIN.email); // default: the signed-in admin
  await recipient.fill("not an address");
  await testButton(page).click();
  await expect(page.locator("#test-recipient-error")).toHaveText("Enter an email address, e.g. you@contoso.com.");
  await expect(recipient).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByTestId("card-smtp")).toHaveCount(0); // nothing started

  const before = (await control.messages(approvals.email)).length;
  await recipient.fill(approvals.email);
  await recipient.press("Enter"); // starts the test, does not save the form
  await expect(page.getByTestId("run-summary")).toContainText("All checks passed.", { timeout: 30_000 });
  await expect(cardOf(page, "smtp").getByTestId("summary")).toContainText(`to ${approvals.email}`);
  expect((await control.messages(approvals.email)).length).toBe(before + 1);
});

test("the route refuses signed-out callers, other sites and malformed input, never with a 500", async ({
  page,
  browser,
}) => {
  const before = (await control.messages(E2E_ADMIN.email)).length;
  const post = (ctx: typeof page.request, form: Record<string, string>, origin = APP_URL) =>
    ctx.post("/api/test-email", { headers: { origin }, form });
  const refused: Record<string, string>[] = [{ to: "nobody" }, { to: "" }, { to: "a@b.c", runAs: "someone" }];
  for (const form of refused) {
    const res = await post(page.request, form);
    expect(res.status(), JSON.stringify(form)).toBe(400);
    expect(await res.json(), JSON.stringify(form)).toMatchObject({ error: "Some fields need attention." });
  }
  expect((await post(page.request, {}, "https://evil.example")).status()).toBe(403);
  const cancel = await page.request.post("/api/test-email/cancel", { headers: { origin: APP_URL }, form: { id: "x" } });
  expect(cancel.status()).toBe(400);
  const unknown = await page.request.post("/api/test-email/cancel", {
    headers: { origin: APP_URL },
    form: { id: "00000000-0000-4000-8000-000000000000" },
  });
  expect(unknown.status()).toBe(404);
  const anonymous = await browser.newContext({ storageState: { cookies: [], origins: [] }, ignoreHTTPSErrors: true });
  const res = await post(anonymous.request, {});
  expect(res.status()).toBe(401);
  expect(await res.text()).toContain("Sign in as an administrator first.");
  expect((await control.messages(E2E_ADMIN.email)).length).toBe(before);
  await anonymous.close();
});

test("a Server Base URL at another origin: Email Settings warns, the HTTPS step is not done, and Authorize warns that the redirect URI changed", async ({
  page,
}) => {
  // Connected (beforeAll) through https://localhost:PORT/…; now the Server Base URL names 127.0.0.1 instead.
  const elsewhere = APP_URL.replace("localhost", "127.0.0.1");
  await saveServerBaseUrl(page, elsewhere);
  try {
    await page.goto("/settings/email");
    await expect(page.getByTestId("origin-mismatch")).toContainText(`but the Server Base URL points to ${elsewhere}`);
    await expect(page.getByTestId("checklist-https")).toHaveAttribute("data-done", "false");
    await expect(page.getByTestId("checklist-https")).toContainText("Authorize would come back signed out");
    const changed = page.getByTestId("redirect-changed");
    await expect(changed).toContainText(`Microsoft accepted ${APP_URL}/flexdeploy/rest/v2/oauth`);
    await expect(changed).toContainText(`Authorize now sends ${elsewhere}/flexdeploy/rest/v2/oauth`);
  } finally {
    await saveServerBaseUrl(page, APP_URL);
  }
  await page.goto("/settings/email");
  await expect(page.getByTestId("checklist-https")).toHaveAttribute("data-done", "true");
  await expect(page.getByTestId("origin-mismatch")).toHaveCount(0);
  await expect(page.getByTestId("redirect-changed")).toHaveCount(0);
});
