import { expect, test } from "./support/csp-fixture";
import { E2E_ADMIN } from "./support/stack-config";
import {
  authorizeButton,
  configureForSandbox,
  connectionStatus,
  REDIRECT_URI,
  sandboxControl,
  saveEmailSettings,
  signInAtSandbox,
} from "./support/sandbox-pages";
import { adminPage, cardOf, disconnectBothMailboxes, testButton } from "./support/test-email-page";
import { SEED_SHARED_MAILBOX, SEED_TENANT, SEED_USERS } from "@mail-connect/m365-sandbox/seed";
import { confirmPasswordWhenAsked } from "./support/password-prompt";

/**
 * A shared mailbox as Exchange Online checks it: the SMTP user and the Approval Reply Address are
 * the shared mailbox, the delegate authorizes ("Sign in as"); Test Email sends as the delegate from
 * the shared address and reads the shared mailbox over IMAP. With Send As revoked (control API) the
 * SMTP card shows 550 5.7.60 and the Add-RecipientPermission command that fixes it.
 */
test.describe.configure({ mode: "serial" });
test.beforeEach(async ({ page }) => confirmPasswordWhenAsked(page));

const control = sandboxControl();
const shared = SEED_SHARED_MAILBOX.email;
const delegate = SEED_USERS.delegate;

test.beforeAll(async ({ browser }) => {
  const app = await control.registerApp({
    displayName: "Mail Connect (e2e shared mailbox)",
    redirectUris: [REDIRECT_URI],
  });
  await control.setAccessTokenLifetime(3599);
  await control.setTenantSmtpAuth(SEED_TENANT.id, true);
  await control.setMailboxPermission(shared, delegate.email, { fullAccess: true, sendAs: true });
  const page = await adminPage(browser);
  await configureForSandbox(page, { clientId: app.clientId, secret: app.secretValue });
  await page.getByLabel("SMTP user").fill(shared);
  await page.locator("#smtpSignInAs").fill(delegate.email);
  await page.getByLabel("Approval Reply Address").fill(shared);
  await page.locator("#imapSignInAs").fill(delegate.email);
  await saveEmailSettings(page);
  await page.context().close();
});

test.afterAll(async ({ browser }) => {
  await control.setMailboxPermission(shared, delegate.email, { fullAccess: true, sendAs: true });
  await disconnectBothMailboxes(browser);
});

test("Sign in as explains the delegate; Authorize as the delegate connects both roles of the shared mailbox", async ({
  page,
}) => {
  await page.goto("/settings/email");
  await expect(page.locator("#smtpSignInAs-hint")).toContainText(
    "SMTP authenticates as this account; the SMTP user stays the From address",
  );
  await control.clearSessions();
  await authorizeButton(page, "smtp").click();
  await signInAtSandbox(page, delegate);
  await expect(page).toHaveURL(/\/settings\/email\?oauth=/);
  await expect(connectionStatus(page, "smtp")).toContainText(`Connected as ${delegate.email} since`);
  await expect(connectionStatus(page, "imap")).toContainText(`Connected as ${delegate.email} since`);
  await expect(page.getByTestId("connection-smtp")).toContainText(
    `signs in as ${delegate.email} (delegate with Send As: SMTP authenticates as it and sends from the mailbox)`,
  );
  await expect(page.getByTestId("connection-imap")).toContainText(
    "(delegate with Full Access: IMAP opens the mailbox)",
  );
});

test("Test Email is green for both protocols: SMTP as the delegate from the shared address, IMAP opens the shared mailbox", async ({
  page,
}) => {
  await page.goto("/settings/email");
  const before = (await control.messages(E2E_ADMIN.email)).length;
  await testButton(page).click();
  for (const id of ["smtp-token", "smtp", "imap-token", "imap"]) {
    await expect(cardOf(page, id)).toHaveAttribute("data-status", "ok", { timeout: 30_000 });
  }
  await expect(cardOf(page, "smtp").getByTestId("summary")).toContainText(
    `Sent a test message from ${shared} (authenticated as ${delegate.email}) to ${E2E_ADMIN.email}`,
  );
  await expect(cardOf(page, "imap").getByTestId("summary")).toContainText(shared);
  const inbox = await control.messages(E2E_ADMIN.email);
  expect(inbox.length).toBe(before + 1);
  expect(inbox.at(-1)?.from).toBe(shared);
});

test("Send As revoked: the SMTP card shows 550 5.7.60 and the Add-RecipientPermission command; IMAP stays green", async ({
  page,
}) => {
  await control.setMailboxPermission(shared, delegate.email, { sendAs: false });
  try {
    await page.goto("/settings/email");
    await testButton(page).click();
    const smtp = cardOf(page, "smtp");
    await expect(smtp).toHaveAttribute("data-status", "failed", { timeout: 30_000 });
    await expect(smtp.getByTestId("summary")).toContainText(
      `${delegate.email} may not send as ${shared} (550 5.7.60).`,
    );
    await expect(smtp.getByTestId("server-response")).toContainText(
      "550 5.7.60 SMTP; Client does not have permissions to send as this sender",
    );
    const command = `Add-RecipientPermission -Identity ${shared} -Trustee ${delegate.email} -AccessRights SendAs`;
    await expect(smtp.getByTestId("fix-code").filter({ hasText: command }).locator("code")).toHaveText(command);
    await expect(smtp.getByTestId("hint")).toContainText("Full Access does not include Send As");
    await expect(smtp.getByTestId("hint")).not.toContainText("must belong to");
    await expect(cardOf(page, "imap")).toHaveAttribute("data-status", "ok");
  } finally {
    await control.setMailboxPermission(shared, delegate.email, { sendAs: true });
  }
});
