/**
 * The end-to-end stack that Playwright's webServer starts: the Microsoft 365 sandbox (in-process)
 * and the app built for production (scripts/start.mjs) with a fresh DATA_DIR, trusting the sandbox's
 * CA through NODE_EXTRA_CA_CERTS. The app's log goes to APP_LOG_FILE (the security sweep reads it);
 * the first-run setup code it prints is saved for the first-run test, as an operator would read it.
 */
import { spawn } from "node:child_process";
import { createWriteStream, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { APP_LOG_FILE, SETUP_CODE_FILE, STACK } from "./stack-config";
import { startSandbox } from "../sandbox/start";

async function main() {
  rmSync(STACK.appDataDir, { recursive: true, force: true });
  rmSync(STACK.harnessDir, { recursive: true, force: true });
  mkdirSync(STACK.harnessDir, { recursive: true });
  mkdirSync(STACK.sandboxDataDir, { recursive: true });

  const sandbox = await startSandbox({
    dataDir: STACK.sandboxDataDir,
    identityPort: STACK.identityPort,
    smtpPort: STACK.smtpPort,
    imapPort: STACK.imapPort,
    seed: true,
  });
  console.log(`sandbox: ${sandbox.authorityOrigin}, SMTP ${sandbox.smtp.port}, IMAP ${sandbox.imap.port}`);

  const log = createWriteStream(APP_LOG_FILE);
  const app = spawn(process.execPath, ["scripts/start.mjs"], {
    env: {
      ...process.env,
      MAIL_CONNECT_KEEPALIVE: "off",
      DATA_DIR: STACK.appDataDir,
      PORT: String(STACK.appPort),
      NODE_EXTRA_CA_CERTS: sandbox.caBundleFile,
      NODE_ENV: "production",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let buffered = "";
  const onOutput = (chunk: Buffer) => {
    process.stdout.write(chunk);
    log.write(chunk);
    buffered += chunk.toString();
    const code = /setup code:\s*\n\s*\n\s*([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})/.exec(buffered);
    if (code) {
      writeFileSync(SETUP_CODE_FILE, code[1]);
      buffered = "";
    }
  };
  app.stdout.on("data", onOutput);
  app.stderr.on("data", onOutput);

  const stop = async () => {
    app.kill("SIGTERM");
    await sandbox.stop();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop());
  process.on("SIGINT", () => void stop());
  app.on("exit", (code) => {
    console.error(`app exited with ${code}`);
    void sandbox.stop().then(() => process.exit(code ?? 1));
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
