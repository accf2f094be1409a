/**
 * The end-to-end stack that Playwright's webServer starts: the Microsoft 365 sandbox and the app
 * built for production, with fresh data directories (the sandbox package's `startStack`). The app's
 * log goes to APP_LOG_FILE (the security sweep reads it); the first-run setup code it prints is saved
 * for the first-run test, as an operator would read it.
 */
import { createWriteStream, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { startStack } from "@mail-connect/m365-sandbox/stack";
import { startPort3000Trap } from "./port-3000-trap";
import { APP_LOG_FILE, SETUP_CODE_FILE, STACK } from "./stack-config";
import { serverStartArgs } from "../../scripts/server-node-flags.mjs";

async function main() {
  rmSync(STACK.appDataDir, { recursive: true, force: true });
  rmSync(STACK.harnessDir, { recursive: true, force: true });
  mkdirSync(STACK.harnessDir, { recursive: true });
  startPort3000Trap();

  const log = createWriteStream(APP_LOG_FILE);
  let buffered = "";
  await startStack({
    sandbox: {
      dataDir: STACK.sandboxDataDir,
      identityPort: STACK.identityPort,
      smtpPort: STACK.smtpPort,
      imapPort: STACK.imapPort,
    },
    app: {
      port: STACK.appPort,
      dataDir: STACK.appDataDir,
      startArgs: serverStartArgs(),
      // The browser suite clicks Test Email Configuration more often than an admin would (the limit has its own test).
      env: {
        MAIL_CONNECT_KEEPALIVE: "off",
        NODE_ENV: "production",
        TEST_EMAIL_RUNS_PER_MINUTE: "100",
        RELAY_SMTP_PORT: String(STACK.relayPort),
        RELAY_IMAP_PORT: String(STACK.relayImapPort),
        WEBHOOK_ALLOW_PRIVATE: "1", // the Status spec's webhook receiver listens on 127.0.0.1
      },
    },
    beforeApp: async (sandbox) => {
      console.log(`sandbox: ${sandbox.authorityOrigin}, SMTP ${sandbox.smtp.port}, IMAP ${sandbox.imap.port}`);
    },
    onOutput: (chunk) => {
      process.stdout.write(chunk);
      log.write(chunk);
      buffered += chunk.toString();
      const code = /setup code:\s*\n\s*\n\s*([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})/.exec(buffered);
      if (code) {
        writeFileSync(SETUP_CODE_FILE, code[1]);
        buffered = "";
      }
    },
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
