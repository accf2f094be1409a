import path from "node:path";

/** Where the end-to-end stack listens and keeps its data (the app at localhost, the sandbox at 127.0.0.1). */
export const STACK = {
  appPort: Number(process.env.E2E_APP_PORT || 3543),
  identityPort: Number(process.env.E2E_IDENTITY_PORT || 3643),
  smtpPort: Number(process.env.E2E_SMTP_PORT || 3625),
  imapPort: Number(process.env.E2E_IMAP_PORT || 3693),
  /** The app's SMTP relay (off until a spec enables it on the Relay page). */
  relayPort: Number(process.env.RELAY_SMTP_PORT || 3525),
  /** The app's IMAP gateway (off until a spec enables it on the Relay page). */
  relayImapPort: Number(process.env.RELAY_IMAP_PORT || 3593),
  appDataDir: path.resolve(`data/e2e-app-${process.env.E2E_APP_PORT || 3543}`),
  sandboxDataDir: path.resolve(`data/e2e-sandbox-${process.env.E2E_IDENTITY_PORT || 3643}`),
  harnessDir: path.resolve(`test-results/e2e-harness-${process.env.E2E_APP_PORT || 3543}`),
};

export const APP_URL = `https://localhost:${STACK.appPort}`;
export const SANDBOX_AUTHORITY = `https://127.0.0.1:${STACK.identityPort}`;
export const SETUP_CODE_FILE = path.join(STACK.harnessDir, "setup-code.txt");
export const APP_LOG_FILE = path.join(STACK.harnessDir, "app.log");
export const ADMIN_STATE_FILE = path.join(STACK.harnessDir, "admin-state.json");

/** The administrator the first-run test creates; the other specs sign in as this admin. */
export const E2E_ADMIN = { name: "Erin Admin", email: "admin@contoso.test", password: "e2e-Admin-password-1" };
/** The inline-style CSP violations the CSP fixture tolerated in this run (see e2e/support/csp-fixture.ts). */
