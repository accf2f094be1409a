/**
 * Vitest helpers for the Microsoft flows against the sandbox started in this process: settings
 * pointing at it (Custom cloud), MSAL's network trusting its CA, and a browser's Microsoft session
 * that walks the sandbox's sign-in pages over HTTPS (the sandbox's own headless driver) to get the
 * callback URL Microsoft would redirect to.
 */
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startSandbox, SEED_APP, type RunningSandbox } from "@mail-connect/m365-sandbox";
import { sandboxEmailSettings } from "@mail-connect/m365-sandbox/app-settings";
import { CookieJar, completeAuthorize } from "@mail-connect/m365-sandbox/testing";

export const BASE_URL = "https://localhost:3000"; // the seeded app's redirect URI is on this origin
export const REDIRECT_URI = `${BASE_URL}/flexdeploy/rest/v2/oauth`;
export const ADMIN = { id: "admin-1", email: "admin@contoso.test", name: "Erin Admin", sessionId: "session-1" };

export async function startTestSandbox(): Promise<RunningSandbox> {
  const sandbox = await startSandbox({
    dataDir: mkdtempSync(path.join(os.tmpdir(), "mc-sandbox-")),
    identityPort: 0,
    smtpPort: 0,
    imapPort: 0,
    seed: true,
  });
  const { setMsalTrustedCa } = await import("@/lib/microsoft/network-client");
  setMsalTrustedCa(sandbox.caCert);
  return sandbox;
}

export type SettingsOverrides = Partial<{
  smtpUser: string;
  smtpSignInAs: string;
  imapUser: string;
  imapSignInAs: string;
  msClientId: string;
  msClientSecret: string;
  msTenantId: string;
  smtpConnectionType: "delegated" | "application";
  imapConnectionType: "delegated" | "application";
  smtpTransport: "smtp" | "graph";
  customGraphHost: string;
}>;

/** Saves General + Email Settings through the repositories (as the forms' actions do). */
export async function configure(sandbox: RunningSandbox, o: SettingsOverrides = {}): Promise<void> {
  const { db } = await import("@/lib/db/client");
  const { saveEmailSettings, getEmailSettings } = await import("@/lib/settings/email-repository");
  const { emailSettingsSchema } = await import("@/lib/settings/client-safe/email-schema");
  const general = await db.generalSettings.findUnique({ where: { id: 1 } });
  if (!general)
    await db.generalSettings.create({ data: { id: 1, serverBaseUrl: BASE_URL, version: 1, updatedBy: ADMIN.email } });
  const current = await getEmailSettings();
  const values = emailSettingsSchema.parse(
    sandboxEmailSettings(sandbox, {
      ...o,
      msClientSecret: o.msClientSecret ?? (current.msClientSecretEnc ? "" : SEED_APP.secretValue),
      version: current.version,
    }),
  );
  await saveEmailSettings(values, ADMIN.email);
}

/** A browser's Microsoft session (the sandbox's SSO cookie). */
export class SandboxBrowser {
  private readonly jar = new CookieJar();
  constructor(private readonly sandbox: RunningSandbox) {}

  /**
   * Opens the authorize URL and signs in (or picks the signed-in account when `pick` is given).
   * Returns the URL the sandbox redirected to (the callback with code/state or error).
   */
  async authorize(
    url: string,
    who: { login: string; password: string } | { pick: string } | { cancel: true },
  ): Promise<URL> {
    const user =
      "cancel" in who
        ? { cancelSignIn: true }
        : "pick" in who
          ? { pick: who.pick }
          : { email: who.login, password: who.password };
    const outcome = await completeAuthorize(url, { ca: this.sandbox.caCert, jar: this.jar, user });
    return outcome.redirect;
  }
}

/** The real Authorize flow: start → sandbox sign-in page → callback → encrypted token cache. */
export async function authorizeAs(
  sandbox: RunningSandbox,
  role: "smtp" | "imap",
  who: { email: string; password: string },
): Promise<void> {
  const { startAuthorization } = await import("@/lib/microsoft/authorize-url");
  const { completeAuthorization } = await import("@/lib/microsoft/callback");
  const start = await startAuthorization(role, ADMIN);
  if (!("url" in start)) throw new Error(start.blockers.join(" "));
  const back = await new SandboxBrowser(sandbox).authorize(start.url, { login: who.email, password: who.password });
  const location = await completeAuthorization(back.searchParams, ADMIN);
  if (!/oauth=/.test(location)) throw new Error(`authorization as ${who.email} did not complete: ${location}`);
}
