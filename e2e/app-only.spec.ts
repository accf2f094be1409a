import { expect, test } from "./support/csp-fixture";
import { configureForSandbox, REDIRECT_URI, sandboxControl, saveEmailSettings } from "./support/sandbox-pages";
import { adminPage, cardOf, testButton } from "./support/test-email-page";
import { SANDBOX_AUTHORITY } from "./support/stack-config";
import { confirmPasswordWhenAsked } from "./support/password-prompt";
import { SEED_TENANT, SEED_USERS } from "@mail-connect/m365-sandbox/seed";
import type { AppOnlyInfo, RegisteredApp } from "@mail-connect/m365-sandbox/control-client";
import type { Page } from "@playwright/test";

/**
 * Application (app-only, client credentials) connections in the browser: switch both mailbox roles
 * to Application, follow the generated PowerShell, Test Email green for SMTP and IMAP with the app's
 * token, then each failure diagnosed: consent revoked, the Exchange service principal missing, the
 * mailbox grant missing; and the setup for a sender on Microsoft Graph.
 */
test.describe.configure({ mode: "serial" });
test.beforeEach(async ({ page }) => confirmPasswordWhenAsked(page));

const control = sandboxControl();
const mailer = SEED_USERS.mailer.email;
const approvals = SEED_USERS.approvals.email;
let app: RegisteredApp;
let ids: AppOnlyInfo;

async function grantMailboxes(): Promise<void> {
  for (const m of [mailer, approvals])
    await control.appOnly.setMailboxFullAccess(m, ids.servicePrincipalObjectId, true);
}

async function runTest(page: Page): Promise<void> {
  await page.goto("/settings/email");
  await testButton(page).click();
  await expect(page.getByTestId("run-summary")).toBeVisible({ timeout: 30_000 });
}

test.beforeAll(async ({ browser }) => {
  app = await control.registerApp({ displayName: "Mail Connect (e2e app-only)", redirectUris: [REDIRECT_URI] });
  await control.appOnly.setAppPermissions(app.clientId, ["SMTP.SendAsApp", "IMAP.AccessAsApp"]);
  await control.appOnly.setAppConsent(app.clientId, true);
  ids = await control.appOnly.info(app.clientId);
  await control.appOnly.newServicePrincipal({ appId: app.clientId, objectId: ids.servicePrincipalObjectId });
  await grantMailboxes();
  await control.setTenantSmtpAuth(SEED_TENANT.id, true);
  // App tokens inside MSAL's 5-minute renewal margin: each run asks Microsoft again, so a change is seen at once.
  await control.setAccessTokenLifetime(60);
  const page = await adminPage(browser);
  await configureForSandbox(page, { clientId: app.clientId, secret: app.secretValue });
  await page.context().close();
});

test.afterAll(async ({ browser }) => {
  await control.setAccessTokenLifetime(3599);
  const page = await adminPage(browser);
  await page.goto("/settings/email");
  await page.locator("#smtpConnectionType").selectOption("delegated");
  await page.locator("#imapConnectionType").selectOption("delegated");
  await saveEmailSettings(page);
  await page.context().close();
});

test("switch both roles to Application: no Authorize, the app-only setup with the admin's own ids", async ({
  page,
}) => {
  await page.goto("/settings/email");
  await page.locator("#smtpConnectionType").selectOption("application");
  await page.locator("#imapConnectionType").selectOption("application");
  await expect(page.locator("#smtpSignInAs")).toHaveCount(0);
  await saveEmailSettings(page);
  await page.goto("/settings/email");

  for (const role of ["smtp", "imap"] as const) {
    const card = page.getByTestId(`connection-${role}`);
    await expect(card).toContainText("Application (app-only, client credentials): no user signs in");
    await expect(card.getByRole("button", { name: /Authorize/ })).toHaveCount(0);
  }
  const setup = page.getByTestId("app-only-setup");
  await expect(setup).toContainText("Office 365 Exchange Online");
  await expect(setup).toContainText("SMTP.SendAsApp, IMAP.AccessAsApp");
  await expect(setup.getByRole("link", { name: "open the admin consent link" })).toHaveAttribute(
    "href",
    new RegExp(`/adminconsent\\?client_id=${app.clientId}`),
  );
  const objectId = setup.getByLabel("Object ID of the Enterprise application");
  await objectId.fill(app.clientId);
  await expect(setup).toContainText("That is the Application (client) ID");
  await objectId.fill(ids.servicePrincipalObjectId);
  await expect(setup.getByTestId("ps-service-principal").locator("code")).toHaveText(
    `New-ServicePrincipal -AppId ${app.clientId} -ObjectId ${ids.servicePrincipalObjectId} -DisplayName 'Mail Connect'`,
  );
  await expect(setup.getByTestId(`ps-mailbox-${mailer}`).locator("code")).toHaveText(
    `Add-MailboxPermission -Identity ${mailer} -User ${ids.servicePrincipalObjectId} -AccessRights FullAccess`,
  );
  await expect(setup.getByTestId(`ps-mailbox-${approvals}`)).toBeVisible();
  await expect(setup.getByRole("button", { name: /Copy Register the app's service principal/ })).toBeVisible();
  await expect(setup).toContainText("Not the Object ID on the App registrations page");
});

test("Test Email green for SMTP and IMAP with the app's token", async ({ page }) => {
  await control.clearTokenCalls();
  await runTest(page);
  for (const id of ["smtp-token", "smtp", "imap-token", "imap"])
    await expect(cardOf(page, id)).toHaveAttribute("data-status", "ok");
  await expect(cardOf(page, "smtp-token").getByTestId("summary")).toContainText(
    `App-only token of ${app.clientId} for ${mailer} (roles: SMTP.SendAsApp, IMAP.AccessAsApp)`,
  );
  await expect(cardOf(page, "imap").getByTestId("summary")).toContainText(approvals);
  expect((await control.tokenCalls()).map((c) => c.grantType)).toContain("client_credentials");
  await page.goto("/settings/email");
  await expect(page.getByTestId("connection-smtp-status")).toContainText("Healthy");
});

test("consent revoked: the token card names the missing application permission and links admin consent", async ({
  page,
}) => {
  await control.appOnly.setAppConsent(app.clientId, false);
  try {
    await runTest(page);
    const token = cardOf(page, "smtp-token");
    await expect(token).toHaveAttribute("data-status", "failed");
    await expect(token.getByTestId("summary")).toContainText("The app-only token has no SMTP.SendAsApp role");
    await expect(token.getByRole("link", { name: "Grant admin consent" })).toBeVisible();
    await expect(cardOf(page, "imap-token").getByTestId("summary")).toContainText("no IMAP.AccessAsApp role");
    await expect(cardOf(page, "smtp")).toHaveAttribute("data-status", "skipped");
    await page.goto("/settings/general");
    await expect(page.getByTestId("connection-health-banner")).toContainText(
      `App-only access to ${mailer} (SMTP sender) does not work.`,
    );
  } finally {
    await control.appOnly.setAppConsent(app.clientId, true);
  }
});

test("service principal missing in Exchange: Exchange's answer and New-ServicePrincipal", async ({ page }) => {
  await control.appOnly.removeServicePrincipal(ids.servicePrincipalObjectId);
  try {
    await runTest(page);
    const smtp = cardOf(page, "smtp");
    await expect(smtp).toHaveAttribute("data-status", "failed");
    await expect(smtp.getByTestId("server-response")).toContainText("535 5.7.3 Authentication unsuccessful");
    await expect(smtp.getByTestId("summary")).toContainText(
      `Exchange refused the app for ${mailer} (535 5.7.3 Authentication unsuccessful)`,
    );
    await expect(smtp.getByTestId("hint")).toContainText(`New-ServicePrincipal -AppId ${app.clientId}`);
    const imap = cardOf(page, "imap");
    await expect(imap.getByTestId("server-response")).toContainText("AUTHENTICATE failed");
    await expect(imap.getByTestId("summary")).toContainText(`Exchange refused the app for ${approvals}`);
  } finally {
    await control.appOnly.newServicePrincipal({ appId: app.clientId, objectId: ids.servicePrincipalObjectId });
    await grantMailboxes();
  }
});

test("mailbox grant missing: Add-MailboxPermission for that mailbox, the other role still works", async ({ page }) => {
  await control.appOnly.setMailboxFullAccess(mailer, ids.servicePrincipalObjectId, false);
  try {
    await runTest(page);
    const smtp = cardOf(page, "smtp");
    await expect(smtp).toHaveAttribute("data-status", "failed");
    await expect(smtp.getByTestId("hint")).toContainText(
      `Add-MailboxPermission -Identity ${mailer} -User '<object id of the Enterprise application>' -AccessRights FullAccess`,
    );
    await expect(cardOf(page, "imap")).toHaveAttribute("data-status", "ok");
  } finally {
    await grantMailboxes();
  }
});

test("the sender on Microsoft Graph: the setup asks for Microsoft Graph's Mail.Send and no mailbox permission for it", async ({
  page,
}) => {
  await page.goto("/settings/email");
  await page.getByRole("group", { name: "Transport" }).getByLabel("Microsoft Graph (sendMail)").check();
  await page.getByLabel("Graph host").fill(SANDBOX_AUTHORITY);
  await saveEmailSettings(page);
  try {
    await page.goto("/settings/email");
    const setup = page.getByTestId("app-only-setup");
    await expect(setup.getByTestId("app-permission-graph")).toContainText(
      "Microsoft Graph → Application permissions → Mail.Send",
    );
    await expect(setup.getByTestId("app-permission-exchange")).toContainText(
      "Office 365 Exchange Online → Application permissions → IMAP.AccessAsApp",
    );
    await expect(setup).toContainText(`so ${mailer} needs no mailbox permission in Exchange`);
    await expect(setup.getByTestId(`ps-mailbox-${mailer}`)).toHaveCount(0);
    await expect(setup.getByTestId(`ps-mailbox-${approvals}`)).toBeVisible();
  } finally {
    await page.goto("/settings/email");
    await page.getByRole("group", { name: "Transport" }).getByLabel("SMTP (AUTH XOAUTH2)").check();
    await saveEmailSettings(page);
  }
});
