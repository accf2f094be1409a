/**
 * Vitest helpers for the Microsoft flows against the sandbox started in this process: settings
 * pointing at it (Custom cloud), MSAL's network trusting its CA, and a tiny "browser" that walks
 * the sandbox's sign-in pages over HTTPS to get the callback URL Microsoft would redirect to.
 */
import { mkdtempSync } from "node:fs";
import { request } from "node:https";
import os from "node:os";
import path from "node:path";
import {
  startSandbox,
  sandboxNetworkClient,
  SEED_APP,
  SEED_TENANT,
  type RunningSandbox,
} from "../../e2e/sandbox/start";

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
  const { setMsalNetworkClient } = await import("@/lib/microsoft/msal-client");
  setMsalNetworkClient(sandboxNetworkClient(sandbox.caCert));
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
  const values = emailSettingsSchema.parse({
    smtpAuthType: "microsoft",
    smtpHost: "127.0.0.1",
    smtpPort: String(sandbox.smtp.port),
    smtpSecurity: "starttls",
    smtpUser: o.smtpUser ?? "mailer@contoso.test",
    smtpFrom: "",
    smtpPassword: "",
    smtpSignInAs: o.smtpSignInAs ?? "",
    imapUser: o.imapUser ?? "approvals@contoso.test",
    imapHost: "127.0.0.1",
    imapPort: String(sandbox.imap.port),
    imapSecurity: "tls",
    imapAuthType: "microsoft",
    imapPassword: "",
    imapSignInAs: o.imapSignInAs ?? "",
    msClientId: o.msClientId ?? SEED_APP.clientId,
    msClientSecret: o.msClientSecret ?? (current.msClientSecretEnc ? "" : SEED_APP.secretValue),
    msTenantId: o.msTenantId ?? SEED_TENANT.id,
    msCloud: "custom",
    customAuthority: sandbox.authorityOrigin,
    customOutlookResource: "https://outlook.office.com",
    connectTimeoutSeconds: 10,
    overallTimeoutSeconds: 30,
    version: current.version,
  });
  await saveEmailSettings(values, ADMIN.email);
}

type Answer = { status: number; location: string | null; body: string; setCookie: string[] };

function httpsCall(
  sandbox: RunningSandbox,
  url: string,
  method: "GET" | "POST",
  cookie: string,
  form?: Record<string, string>,
): Promise<Answer> {
  const body = form ? new URLSearchParams(form).toString() : undefined;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        ca: sandbox.caCert,
        agent: false,
        headers: {
          ...(cookie ? { cookie } : {}),
          ...(body
            ? { "content-type": "application/x-www-form-urlencoded", "content-length": String(Buffer.byteLength(body)) }
            : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            location: (res.headers.location as string | undefined) ?? null,
            body: Buffer.concat(chunks).toString("utf8"),
            setCookie: (res.headers["set-cookie"] as string[] | undefined) ?? [],
          }),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** A browser's Microsoft session (the sandbox's SSO cookie). */
export class SandboxBrowser {
  cookie = "";
  constructor(private readonly sandbox: RunningSandbox) {}

  private remember(a: Answer) {
    for (const c of a.setCookie) {
      const pair = c.split(";")[0]!;
      if (/Max-Age=0/i.test(c)) this.cookie = "";
      else this.cookie = pair;
    }
  }

  /**
   * Opens the authorize URL and signs in (or picks the signed-in account when `pick` is given).
   * Returns the URL the sandbox redirected to (the callback with code/state or error).
   */
  async authorize(
    url: string,
    who: { login: string; password: string } | { pick: string } | { cancel: true },
  ): Promise<URL> {
    const page = await httpsCall(this.sandbox, url, "GET", this.cookie);
    this.remember(page);
    if (page.location) return new URL(page.location);
    const ctx = /name="ctx" value="([^"]+)"/.exec(page.body)?.[1];
    const action = /<form method="post" action="([^"]+)"/.exec(page.body)?.[1];
    if (!ctx || !action) throw new Error(`no sign-in form: ${page.status} ${page.body.slice(0, 300)}`);
    let form: Record<string, string>;
    if ("cancel" in who) form = { ctx, action: "cancel" };
    else if ("pick" in who) {
      // The picker button of the account: its value is pick:<user id>, its text contains the email.
      const buttons = [...page.body.matchAll(/value="pick:([^"]+)"[^>]*>([\s\S]*?)<\/button>/g)];
      const userId = buttons.find((b) => b[2]!.includes(who.pick))?.[1];
      if (!userId) throw new Error(`account ${who.pick} not in the picker: ${page.body.slice(0, 500)}`);
      form = { ctx, action: `pick:${userId}` };
    } else form = { ctx, action: "signin", login: who.login, passwd: who.password };
    const answer = await httpsCall(
      this.sandbox,
      new URL(action, this.sandbox.authorityOrigin).toString(),
      "POST",
      this.cookie,
      form,
    );
    this.remember(answer);
    if (!answer.location) throw new Error(`no redirect after sign-in: ${answer.status} ${answer.body.slice(0, 500)}`);
    return new URL(answer.location);
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
