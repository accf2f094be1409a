/**
 * `npm run demo`: the local Microsoft 365 sandbox and the app together, with demo users and Email
 * Settings preconfigured (Custom cloud pointing at the sandbox), in data directories of their own
 * (never the one `npm start` uses). A newcomer sees the whole journey work without a tenant.
 */
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { startSandbox, SEED_APP, SEED_TENANT, SEED_USERS } from "../e2e/sandbox/start";

const port = Number(process.env.PORT || 3443);
const appDataDir = path.resolve(process.env.DEMO_DATA_DIR || "data/demo");
const sandboxDataDir = path.resolve(process.env.SANDBOX_DATA_DIR || "data/demo-sandbox");
const baseUrl = `https://localhost:${port}`;
const DEMO_ADMIN = { name: "Demo Admin", email: SEED_USERS.admin.email, password: "demo-Admin-password-1" };

async function prepareApp(sandbox: Awaited<ReturnType<typeof startSandbox>>): Promise<void> {
  process.env.DATA_DIR = appDataDir;
  const { applyMigrations } = await import("@/lib/db/migrate");
  const { databaseUrl } = await import("@/lib/db/database-url");
  await applyMigrations(databaseUrl());
  const { db } = await import("@/lib/db/client");
  const { createAdmin } = await import("@/lib/auth/admin-accounts");
  const { saveGeneralSettings, getGeneralSettings } = await import("@/lib/settings/general-repository");
  const { saveEmailSettings, getEmailSettings } = await import("@/lib/settings/email-repository");
  const { emailSettingsSchema } = await import("@/lib/settings/email-schema");
  const { generalSettingsSchema } = await import("@/lib/settings/general-schema");

  if ((await db.user.count()) === 0) await createAdmin(DEMO_ADMIN);
  const general = await getGeneralSettings();
  if (general.version === 0)
    await saveGeneralSettings(generalSettingsSchema.parse({ serverBaseUrl: baseUrl, version: 0 }), "demo");
  const email = await getEmailSettings();
  if (!email.saved) {
    const values = emailSettingsSchema.parse({
      smtpAuthType: "microsoft",
      smtpHost: sandbox.smtp.host,
      smtpPort: sandbox.smtp.port,
      smtpSecurity: "starttls",
      smtpUser: SEED_USERS.mailer.email,
      smtpFrom: "",
      smtpPassword: "",
      smtpSignInAs: "",
      imapUser: SEED_USERS.approvals.email,
      imapHost: sandbox.imap.host,
      imapPort: sandbox.imap.port,
      imapSecurity: "tls",
      imapAuthType: "microsoft",
      imapPassword: "",
      imapSignInAs: "",
      msClientId: SEED_APP.clientId,
      msClientSecret: SEED_APP.secretValue,
      msTenantId: SEED_TENANT.id,
      msCloud: "custom",
      customAuthority: sandbox.authorityOrigin,
      customOutlookResource: "https://outlook.office.com",
      connectTimeoutSeconds: 10,
      overallTimeoutSeconds: 30,
      version: 0,
    });
    await saveEmailSettings(values, "demo");
  }
  await db.$disconnect();
}

async function main() {
  mkdirSync(sandboxDataDir, { recursive: true });
  const sandbox = await startSandbox({
    dataDir: sandboxDataDir,
    identityPort: Number(process.env.SANDBOX_IDENTITY_PORT || 8443),
    smtpPort: Number(process.env.SANDBOX_SMTP_PORT || 2587),
    imapPort: Number(process.env.SANDBOX_IMAP_PORT || 2993),
    seed: true,
    appRedirectUris: [`${baseUrl}/flexdeploy/rest/v2/oauth`],
  });
  await prepareApp(sandbox);

  const app = spawn(process.execPath, ["scripts/start.mjs"], {
    env: { ...process.env, DATA_DIR: appDataDir, PORT: String(port), NODE_EXTRA_CA_CERTS: sandbox.caBundleFile },
    stdio: ["ignore", "pipe", "inherit"],
  });
  app.stdout.on("data", (chunk: Buffer) => {
    process.stdout.write(chunk);
    if (chunk.toString().includes("Mail Connect is serving")) printGuide(sandbox.authorityOrigin);
  });
  const stop = async () => {
    app.kill("SIGTERM");
    await sandbox.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
  app.on("exit", (code) => void sandbox.stop().then(() => process.exit(code ?? 1)));
}

function printGuide(authority: string) {
  const u = SEED_USERS;
  console.log(`
────────────────────────────── Mail Connect demo ──────────────────────────────
Open ${baseUrl}/sign-in  (accept the self-signed certificate)
Sign in to Mail Connect:   ${DEMO_ADMIN.email} / ${DEMO_ADMIN.password}

Email Settings are preconfigured for the local Microsoft 365 sandbox (${authority}):
  SMTP user ${u.mailer.email}, Approval Reply Address ${u.approvals.email}, Custom cloud.
What to click: Email Settings → Authorize → at the sandbox, sign in as
  ${u.mailer.email} / ${u.mailer.password}   (then the same for ${u.approvals.email} / ${u.approvals.password})
then Test Email Configuration. Try the wrong-user trap by signing in as ${u.other.email} / ${u.other.password}.
Sandbox data: ${sandboxDataDir}   App data: ${appDataDir}   (delete both to start over)
────────────────────────────────────────────────────────────────────────────────
`);
}

main().catch((error) => {
  console.error("demo could not start:", error instanceof Error ? error.message : error);
  process.exit(1);
});
