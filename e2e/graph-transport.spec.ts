import { expect, test } from "./support/csp-fixture";
import { E2E_ADMIN, SANDBOX_AUTHORITY } from "./support/stack-config";
import {
  authorizeButton,
  configureForSandbox,
  connectionCard,
  connectionStatus,
  REDIRECT_URI,
  sandboxControl,
  saveEmailSettings,
  signInAtSandbox,
} from "./support/sandbox-pages";
import { adminPage, cardOf, disconnectBothMailboxes, testButton } from "./support/test-email-page";
import { SEED_TENANT, SEED_USERS } from "@mail-connect/m365-sandbox/seed";
import { confirmPasswordWhenAsked } from "./support/password-prompt";

/**
 * The Graph transport in the browser: with SMTP AUTH disabled for the tenant (535 5.7.139), choosing
 * Microsoft Graph as the sender's Transport makes the SMTP connection card ask for Re-Authorize (the
 * Graph scope), and after it Test Email Configuration sends with Graph: "accepted by Microsoft" (202).
 */
test.describe.configure({ mode: "serial" });
test.beforeEach(async ({ page }) => confirmPasswordWhenAsked(page));

const control = sandboxControl();
const mailer = SEED_USERS.mailer;

test.afterAll(async ({ browser }) => {
  await control.setTenantSmtpAuth(SEED_TENANT.id, true);
  // the other specs expect the sender on SMTP
  const page = await adminPage(browser);
  await page.goto("/settings/email");
  await page.getByRole("group", { name: "Transport" }).getByLabel("SMTP (AUTH XOAUTH2)").check();
  await saveEmailSettings(page);
  await page.context().close();
  await disconnectBothMailboxes(browser);
});

test("SMTP AUTH disabled: switch the sender to Microsoft Graph, Re-Authorize, and the test message goes through Graph", async ({
  page,
}) => {
  const app = await control.registerApp({
    displayName: "Mail Connect (e2e Graph transport)",
    redirectUris: [REDIRECT_URI],
    requiredScopes: [
      "https://outlook.office.com/SMTP.Send",
      "https://outlook.office.com/IMAP.AccessAsUser.All",
      "https://graph.microsoft.com/Mail.Send",
    ],
  });
  await configureForSandbox(page, { clientId: app.clientId, secret: app.secretValue });
  await control.clearSessions();
  await authorizeButton(page, "smtp").click();
  await signInAtSandbox(page, mailer);
  await expect(connectionStatus(page, "smtp")).toContainText(`Connected as ${mailer.email} since`);
  await control.setTenantSmtpAuth(SEED_TENANT.id, false);

  // Choose Graph: what it needs is said next to it; the Custom cloud asks for its Graph host.
  await page.goto("/settings/email");
  const transport = page.getByRole("group", { name: "Transport" });
  await expect(transport).toContainText("535 5.7.139");
  await transport.getByLabel("Microsoft Graph (sendMail)").check();
  await expect(page.getByTestId("graph-delegated-note")).toContainText("Mail.Send");
  await page.getByLabel("Graph host").fill(SANDBOX_AUTHORITY);
  await saveEmailSettings(page);
  await page.goto("/settings/email");
  await expect(page.getByRole("group", { name: "Transport" }).getByLabel("Microsoft Graph (sendMail)")).toBeChecked();
  await expect(connectionCard(page, "smtp")).toContainText(
    "does not include https://graph.microsoft.com/Mail.Send, which sending with Microsoft Graph needs",
  );

  // Application: the page says it can send as any mailbox and links RBAC for Applications (not saved).
  await page.locator("#smtpConnectionType").selectOption("application");
  const appNote = page.getByTestId("graph-application-note");
  await expect(appNote).toContainText("any mailbox");
  await expect(appNote.getByRole("link", { name: "RBAC for Applications" })).toHaveAttribute(
    "href",
    "https://learn.microsoft.com/en-us/exchange/permissions-exo/application-rbac",
  );
  await page.goto("/settings/email");

  // Re-Authorize: the Graph scope is consented in the same sign-in.
  await control.clearSessions();
  await authorizeButton(page, "smtp").click();
  await signInAtSandbox(page, mailer);
  await expect(connectionStatus(page, "smtp")).toContainText("Healthy");
  await expect(connectionStatus(page, "smtp")).toContainText("https://graph.microsoft.com/Mail.Send");

  const before = (await control.messages(E2E_ADMIN.email)).length;
  await testButton(page).click();
  const smtp = cardOf(page, "smtp");
  await expect(smtp).toHaveAttribute("data-status", "ok", { timeout: 30_000 });
  await expect(smtp.getByTestId("summary")).toContainText("Accepted by Microsoft: Graph answered 202 Accepted");
  await expect(smtp.getByTestId("server-response")).toContainText("HTTP 202 Accepted");
  const inbox = await control.messages(E2E_ADMIN.email);
  expect(inbox.length).toBe(before + 1);
});
