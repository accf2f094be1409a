import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, type Locator, type Page } from "@playwright/test";
import { APP_URL, SANDBOX_AUTHORITY, STACK } from "./stack-config";
import { SandboxControl } from "@mail-connect/m365-sandbox/control-client";
import { sandboxEmailSettings } from "@mail-connect/m365-sandbox/app-settings";

/**
 * What the browser specs share for the Microsoft side: the sandbox's control client, its sign-in
 * page, the Email Settings connection cards, and Email Settings filled in for the sandbox (a
 * Custom cloud whose authority and mail hosts point at it, exactly as a tenant would be entered).
 */
export const sandboxControl = () =>
  new SandboxControl({
    origin: SANDBOX_AUTHORITY,
    ca: readFileSync(path.join(STACK.sandboxDataDir, "ca-cert.pem"), "utf8"),
  });

export const REDIRECT_URI = `${APP_URL}/flexdeploy/rest/v2/oauth`;
export type SandboxUser = { email: string; password: string };
export type MailRole = "smtp" | "imap";

export const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
export const connectionCard = (page: Page, role: MailRole): Locator => page.getByTestId(`connection-${role}`);
export const connectionStatus = (page: Page, role: MailRole): Locator => page.getByTestId(`connection-${role}-status`);
export const authorizeButton = (page: Page, role: MailRole): Locator =>
  connectionCard(page, role).getByRole("button", { name: /^(Re-)?Authorize\b/ }); // the accessible name goes on with the mailbox

/** The browser is at the sandbox (optionally on the page with this heading). */
export async function atSandbox(page: Page, heading?: "Sign in" | "Pick an account"): Promise<void> {
  await expect(page).toHaveURL(new RegExp(`^${escapeRegExp(SANDBOX_AUTHORITY)}/`));
  if (heading) await expect(page.getByRole("heading", { name: heading })).toBeVisible();
}

export async function signInAtSandbox(page: Page, user: SandboxUser): Promise<void> {
  await atSandbox(page, "Sign in");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

export async function saveServerBaseUrl(page: Page, url: string = APP_URL): Promise<void> {
  await page.goto("/settings/general");
  await page.getByLabel("Server Base URL").fill(url);
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText(/General Settings saved|Saved \(nothing had changed\)/)).toBeVisible();
}

/** Fills Email Settings for the sandbox (without saving): SMTP user mailer@, Approval Reply Address approvals@. */
export async function fillSandboxEmailSettings(page: Page, app: { clientId: string; secret: string }): Promise<void> {
  const v = sandboxEmailSettings(
    {
      authorityOrigin: SANDBOX_AUTHORITY,
      smtp: { host: "127.0.0.1", port: STACK.smtpPort },
      imap: { host: "127.0.0.1", port: STACK.imapPort },
    },
    { msClientId: app.clientId, msClientSecret: app.secret },
  );
  await page.getByLabel("SMTP auth type").selectOption(v.smtpAuthType);
  await page.getByLabel("Cloud").selectOption(v.msCloud);
  await page.getByLabel("Authority").fill(v.customAuthority);
  await page.getByLabel("Outlook resource").fill(v.customOutlookResource);
  await page.getByLabel("SMTP host").fill(v.smtpHost);
  await page.getByLabel("SMTP port").fill(v.smtpPort);
  await page.getByLabel("SMTP security").selectOption(v.smtpSecurity);
  await page.getByLabel("SMTP user").fill(v.smtpUser);
  await page.getByLabel("From address").fill(v.smtpFrom);
  await page.locator("#smtpConnectionType").selectOption(v.smtpConnectionType);
  await page
    .getByRole("group", { name: "Transport" })
    .getByLabel(v.smtpTransport === "graph" ? "Microsoft Graph (sendMail)" : "SMTP (AUTH XOAUTH2)")
    .check();
  await page.locator("#smtpSignInAs").fill(v.smtpSignInAs);
  await page.getByLabel("Approval Reply Address").fill(v.imapUser);
  await page.getByLabel("IMAP auth type").selectOption(v.imapAuthType);
  await page.getByLabel("IMAP host").fill(v.imapHost);
  await page.getByLabel("IMAP port").fill(v.imapPort);
  await page.getByLabel("IMAP security").selectOption(v.imapSecurity);
  await page.locator("#imapConnectionType").selectOption(v.imapConnectionType);
  await page.locator("#imapSignInAs").fill(v.imapSignInAs);
  await page.getByLabel("Credential", { exact: true }).selectOption("secret");
  await page.getByLabel("Client Id").fill(v.msClientId);
  await page.getByLabel("Tenant Id").fill(v.msTenantId);
  await page.getByLabel("Client Secret", { exact: true }).fill(v.msClientSecret);
}

export async function saveEmailSettings(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText(/Email Settings saved|Saved \(nothing had changed\)/)).toBeVisible();
}

/** General + Email Settings for the sandbox, saved; ends on Email Settings. */
export async function configureForSandbox(
  page: Page,
  app: { clientId: string; secret: string },
  serverBaseUrl: string = APP_URL,
): Promise<void> {
  await saveServerBaseUrl(page, serverBaseUrl);
  await page.goto("/settings/email");
  await fillSandboxEmailSettings(page, app);
  await saveEmailSettings(page);
  await page.goto("/settings/email");
}

/**
 * The SSO trap: another user signs in at Microsoft on Re-Authorize of the SMTP role. The app must
 * refuse with the explanation and keep the previous connection exactly as it was.
 */
export async function expectWrongUserRefused(
  page: Page,
  control: SandboxControl,
  signedIn: SandboxUser,
  expected: SandboxUser,
): Promise<void> {
  const before = await connectionStatus(page, "smtp").textContent();
  await control.clearSessions(); // a fresh Microsoft session in this browser, signed in as someone else
  await authorizeButton(page, "smtp").click();
  await signInAtSandbox(page, signedIn);
  await expect(page).toHaveURL(/\/settings\/email\?oauth=/);
  const wrong = page.getByTestId("wrong-user");
  await expect(wrong).toContainText(
    `You signed in to Microsoft as ${signedIn.email}, but the SMTP user is ${expected.email}`,
  );
  await expect(wrong).toContainText("Nothing was stored");
  await expect(wrong).toContainText("Bad User is Authenticated But Not Connected");
  await expect(wrong).toContainText("private (incognito) window");
  await expect(connectionStatus(page, "smtp"), "the previous connection is intact").toHaveText(before!);
}
