import { confirmPasswordWhenAsked } from "./password-prompt";
import { expect, type Browser, type Locator, type Page } from "@playwright/test";
import type { RegisteredApp, SandboxControl } from "@mail-connect/m365-sandbox/control-client";
import { SEED_TENANT, SEED_USERS } from "@mail-connect/m365-sandbox/seed";
import { ADMIN_STATE_FILE } from "./stack-config";
import { authorizeButton, configureForSandbox, connectionStatus, REDIRECT_URI, signInAtSandbox } from "./sandbox-pages";

/** Test Email Configuration's page parts, and a sandbox app with both mailboxes connected (for its specs). */

export const adminPage = async (browser: Browser): Promise<Page> => {
  const page = await (await browser.newContext({ storageState: ADMIN_STATE_FILE, ignoreHTTPSErrors: true })).newPage();
  await confirmPasswordWhenAsked(page);
  return page;
};
export const cardOf = (page: Page, id: string): Locator =>
  page.getByTestId("test-email-results").getByTestId(`card-${id}`);
export const testButton = (page: Page): Locator => page.getByRole("button", { name: "Test Email Configuration" });

async function authorize(
  control: SandboxControl,
  page: Page,
  role: "smtp" | "imap",
  user: { email: string; password: string },
): Promise<void> {
  await control.clearSessions(); // a browser not yet signed in to Microsoft: the sign-in page, not the picker
  await page.goto("/settings/email");
  await authorizeButton(page, role).click();
  await signInAtSandbox(page, user);
  await expect(page).toHaveURL(/\/settings\/email\?oauth=/);
  await expect(connectionStatus(page, role)).toContainText(`Connected as ${user.email} since`);
}

/** Registers an app at the sandbox, saves the settings for it and authorizes the SMTP and IMAP mailboxes. */
export async function connectBothMailboxes(
  control: SandboxControl,
  browser: Browser,
  displayName: string,
): Promise<RegisteredApp> {
  const app = await control.registerApp({ displayName, redirectUris: [REDIRECT_URI] });
  await control.setAccessTokenLifetime(3599);
  await control.setTenantSmtpAuth(SEED_TENANT.id, true);
  const page = await adminPage(browser);
  await configureForSandbox(page, { clientId: app.clientId, secret: app.secretValue });
  await authorize(control, page, "smtp", SEED_USERS.mailer);
  await authorize(control, page, "imap", SEED_USERS.approvals);
  await page.context().close();
  return app;
}

/** Leaves no connection behind for the other specs. */
export async function disconnectBothMailboxes(browser: Browser): Promise<void> {
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
}
