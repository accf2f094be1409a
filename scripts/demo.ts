/**
 * `npm run demo`: the local Microsoft 365 sandbox and the app together, with demo users and Email
 * Settings preconfigured (Custom cloud pointing at the sandbox), in data directories of their own
 * (never the one `npm start` uses). A newcomer sees the whole journey work without a tenant.
 */
import path from "node:path";
import { SEED_USERS, type RunningSandbox } from "@mail-connect/m365-sandbox";
import { sandboxEmailSettings } from "@mail-connect/m365-sandbox/app-settings";
import { startStack } from "@mail-connect/m365-sandbox/stack";
import { serverStartArgs } from "./server-node-flags.mjs";

const port = Number(process.env.PORT || 3443);
const appDataDir = path.resolve(process.env.DEMO_DATA_DIR || "data/demo");
const sandboxDataDir = path.resolve(process.env.SANDBOX_DATA_DIR || "data/demo-sandbox");
// The demo has a fixed, printed administrator password: it listens on the loopback address only.
const DEMO_HOST = "127.0.0.1";
const baseUrl = `https://localhost:${port}`;
let authority = "";
const DEMO_ADMIN = { name: "Demo Admin", email: SEED_USERS.admin.email, password: "demo-Admin-password-1" };

async function prepareApp(sandbox: RunningSandbox): Promise<void> {
  process.env.DATA_DIR = appDataDir;
  const { applyMigrations } = await import("@/lib/db/migrate");
  const { databaseUrl } = await import("@/lib/db/database-url");
  await applyMigrations(databaseUrl());
  const { db } = await import("@/lib/db/client");
  const { createAdmin } = await import("@/lib/auth/admin-accounts");
  const { saveGeneralSettings, getGeneralSettings } = await import("@/lib/settings/general-repository");
  const { saveEmailSettings, getEmailSettings } = await import("@/lib/settings/email-repository");
  const { emailSettingsSchema } = await import("@/lib/settings/client-safe/email-schema");
  const { generalSettingsSchema } = await import("@/lib/settings/client-safe/general-schema");

  if ((await db.user.count()) === 0) await createAdmin(DEMO_ADMIN);
  const general = await getGeneralSettings();
  if (general.version === 0)
    await saveGeneralSettings(generalSettingsSchema.parse({ serverBaseUrl: baseUrl, version: 0 }), "demo");
  const email = await getEmailSettings();
  if (!email.saved) await saveEmailSettings(emailSettingsSchema.parse(sandboxEmailSettings(sandbox)), "demo");
  await db.$disconnect();
}

async function main() {
  await startStack({
    sandbox: {
      dataDir: sandboxDataDir,
      identityPort: Number(process.env.SANDBOX_IDENTITY_PORT || 8443),
      smtpPort: Number(process.env.SANDBOX_SMTP_PORT || 2587),
      imapPort: Number(process.env.SANDBOX_IMAP_PORT || 2993),
      appRedirectUris: [`${baseUrl}/flexdeploy/rest/v2/oauth`],
    },
    app: { port, dataDir: appDataDir, host: DEMO_HOST, startArgs: serverStartArgs() },
    beforeApp: async (sandbox) => {
      await prepareApp(sandbox);
      authority = sandbox.authorityOrigin;
    },
    onOutput: (chunk, stream) => {
      if (stream === "stderr") return void process.stderr.write(chunk);
      process.stdout.write(chunk);
      if (chunk.toString().includes("Mail Connect is serving")) printGuide(authority);
    },
  });
}

function printGuide(authority: string) {
  const u = SEED_USERS;
  console.log(`
────────────────────────────── Mail Connect demo ──────────────────────────────
Open ${baseUrl}/sign-in  (accept the self-signed certificate)
The demo listens on ${DEMO_HOST} only (its password is printed here): other machines cannot reach it.
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
