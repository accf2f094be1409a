import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { type RunningSandbox, startSandbox } from "./start";

/**
 * The sandbox and Mail Connect side by side, each with its own ports and data directory: the sandbox
 * in this process, the app as a child (`scripts/start.mjs` of the checkout this runs in) trusting the
 * sandbox's CA through NODE_EXTRA_CA_CERTS. `npm run demo` and the end-to-end web server both start it;
 * SIGINT/SIGTERM stop both, and this process exits when the app does.
 */

interface StackOptions {
  sandbox: { dataDir: string; identityPort: number; smtpPort: number; imapPort: number; appRedirectUris?: string[] };
  /** `host`: the address the app listens on (HOST; default all interfaces). */
  /** `startArgs`: what follows `node` to start the app (its `npm start`'s; default `scripts/start.mjs`). */
  app: { port: number; dataDir: string; host?: string; env?: Record<string, string>; startArgs?: string[] };
  /** Runs once the sandbox answers, before the app starts (e.g. to prepare the app's database). */
  beforeApp?: (sandbox: RunningSandbox) => Promise<void>;
  /** The app's output, chunk by chunk. */
  onOutput: (chunk: Buffer, stream: "stdout" | "stderr") => void;
}

/** Returns the running sandbox once the app has been launched (not yet serving). */
export async function startStack(options: StackOptions): Promise<RunningSandbox> {
  mkdirSync(options.sandbox.dataDir, { recursive: true });
  const sandbox = await startSandbox({ ...options.sandbox, seed: true });
  await options.beforeApp?.(sandbox);

  const app = spawn(process.execPath, options.app.startArgs ?? ["scripts/start.mjs"], {
    env: {
      ...process.env,
      ...options.app.env,
      DATA_DIR: options.app.dataDir,
      PORT: String(options.app.port),
      ...(options.app.host ? { HOST: options.app.host } : {}),
      NODE_EXTRA_CA_CERTS: sandbox.caBundleFile,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  app.stdout.on("data", (chunk: Buffer) => options.onOutput(chunk, "stdout"));
  app.stderr.on("data", (chunk: Buffer) => options.onOutput(chunk, "stderr"));

  let stopping = false;
  const stop = async () => {
    stopping = true;
    app.kill("SIGTERM");
    await sandbox.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
  app.on("exit", (code) => {
    if (stopping) return;
    console.error(`app exited with ${code}`);
    void sandbox.stop().then(() => process.exit(code ?? 1));
  });
  return sandbox;
}
