import { startSandbox } from "./start";
import {
  SEED_APP,
  SEED_SHARED_MAILBOX,
  SEED_TENANT,
  SEED_USERS,
  DEFAULT_APP_REDIRECT_URI,
  type SeedUser,
} from "./seed";

/**
 * `npm run sandbox`: the Microsoft 365 sandbox as one process.
 *
 * Environment: SANDBOX_IDENTITY_PORT (8443), SANDBOX_SMTP_PORT (2587, STARTTLS),
 * SANDBOX_IMAP_PORT (2993, implicit TLS), SANDBOX_DATA_DIR (data/sandbox), SANDBOX_HOST (127.0.0.1),
 * SANDBOX_APP_REDIRECT_URIS (comma separated; redirect URIs of the seeded app).
 */

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${name} must be a port number, got '${raw}'`);
  return n;
}

async function main(): Promise<void> {
  const redirectUris = process.env.SANDBOX_APP_REDIRECT_URIS?.split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const sandbox = await startSandbox({
    dataDir: process.env.SANDBOX_DATA_DIR ?? "data/sandbox",
    host: process.env.SANDBOX_HOST ?? "127.0.0.1",
    identityPort: port("SANDBOX_IDENTITY_PORT", 8443),
    smtpPort: port("SANDBOX_SMTP_PORT", 2587),
    imapPort: port("SANDBOX_IMAP_PORT", 2993),
    appRedirectUris: redirectUris,
  });
  const app = await sandbox.control.app(SEED_APP.clientId).catch(() => null);
  const lines = [
    "Microsoft 365 sandbox is running",
    "",
    `  Identity platform  ${sandbox.authorityOrigin}   (authority: ${sandbox.authorityOrigin}/${SEED_TENANT.id}, knownAuthorities: ['${sandbox.authorityHost}'])`,
    `  SMTP (STARTTLS)    ${sandbox.smtp.host}:${sandbox.smtp.port}`,
    `  IMAP (TLS)         ${sandbox.imap.host}:${sandbox.imap.port}`,
    `  Control API        ${sandbox.authorityOrigin}/_sandbox/state   (loopback only)`,
    `  Data directory     ${sandbox.dataDir}`,
    `  CA bundle          ${sandbox.caBundleFile}`,
    `                     start the app with NODE_EXTRA_CA_CERTS=${sandbox.caBundleFile}`,
    "",
    `  Tenant             ${SEED_TENANT.domain}  id ${SEED_TENANT.id}`,
    `  App (client id)    ${SEED_APP.clientId}`,
    `  Client secret      value ${SEED_APP.secretValue}   (secret ID ${SEED_APP.secretId} is NOT the value)`,
    `  Redirect URIs      ${(app?.redirectUris ?? [DEFAULT_APP_REDIRECT_URI]).join(", ")}`,
    `  Scopes             https://outlook.office.com/SMTP.Send https://outlook.office.com/IMAP.AccessAsUser.All offline_access`,
    "",
    "  Users (sign-in name / password):",
    ...Object.values(SEED_USERS).map(
      (u: SeedUser) =>
        `    ${u.email.padEnd(26)} ${u.password.padEnd(22)} ${u.displayName}${u.isAdmin ? " (admin)" : ""}${u.mailboxAddress ? ` (mailbox ${u.mailboxAddress})` : ""}`,
    ),
    `  Shared mailbox     ${SEED_SHARED_MAILBOX.email} (FullAccess + SendAs: ${SEED_USERS.delegate.email})`,
    "",
    "Press Ctrl+C to stop.",
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    sandbox.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}

main().catch((err: unknown) => {
  process.stderr.write(`sandbox failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
