/**
 * Helpers for the two-instance tests: app instances (`scripts/start.mjs`, the production build) and a
 * small HTTPS client that accepts the instances' self-signed certificates (this agent only) and
 * carries cookies, Origin and X-Forwarded-For like a browser behind a reverse proxy.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { request, Agent } from "node:https";
import path from "node:path";
import { serverStartArgs } from "../../scripts/server-node-flags.mjs";

export type Answer = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

// Only for the app instances on localhost: their certificates are self-signed per DATA_DIR.
const insecure = new Agent({ rejectUnauthorized: false, keepAlive: false });

export function call(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string; timeoutMs?: number } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: options.method ?? "GET",
        headers: options.headers,
        agent: insecure,
        timeout: options.timeoutMs ?? 60_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }),
        );
      },
    );
    req.on("timeout", () => req.destroy(new Error(`timeout: ${url}`)));
    req.on("error", reject);
    req.end(options.body);
  });
}

export type Instance = { name: string; origin: string; port: number; log: () => string; stop: () => Promise<void> };

/** Starts `node scripts/start.mjs` (no build: SKIP_BUILD=1) and waits until it serves. */
export async function startInstance(name: string, port: number, env: Record<string, string>): Promise<Instance> {
  let log = "";
  const child: ChildProcess = spawn(process.execPath, serverStartArgs(), {
    env: {
      ...process.env,
      ...env,
      PORT: String(port),
      HOST: "127.0.0.1",
      SKIP_BUILD: "1",
      NODE_ENV: "production",
      MAIL_CONNECT_KEEPALIVE: "off",
      NEXT_TELEMETRY_DISABLED: "1",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (c: Buffer) => (log += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (log += c.toString()));
  const deadline = Date.now() + 60_000;
  while (!/Mail Connect is serving/.test(log)) {
    if (child.exitCode !== null) throw new Error(`instance ${name} exited with ${child.exitCode}:\n${log}`);
    if (Date.now() > deadline) throw new Error(`instance ${name} did not start within 60 s:\n${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    name,
    port,
    origin: `https://localhost:${port}`,
    log: () => log,
    stop: async () => {
      if (child.exitCode !== null || child.pid === undefined) return;
      const exited = new Promise<void>((r) => child.once("exit", () => r()));
      process.kill(child.pid, "SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      if (child.exitCode === null && child.signalCode === null) process.kill(child.pid, "SIGKILL");
    },
  };
}

/** The Next.js server action id of an exported action, read from the build's manifest. */
export function serverActionId(distDir: string, exportedName: string): string {
  const file = path.join(distDir, "server", "server-reference-manifest.json");
  if (!existsSync(file)) throw new Error(`no production build in ${distDir} (run next build first)`);
  const manifest = JSON.parse(readFileSync(file, "utf8")) as {
    node: Record<string, { exportedName?: string; filename?: string }>;
  };
  for (const [id, entry] of Object.entries(manifest.node)) if (entry.exportedName === exportedName) return id;
  throw new Error(`server action ${exportedName} not in ${file}`);
}

/** Calls a server action like the browser does; returns its result (the last JSON line of the RSC answer). */
export async function callAction<T>(
  origin: string,
  pagePath: string,
  actionId: string,
  args: unknown[],
  cookie: string,
): Promise<{ status: number; result: T | null; body: string }> {
  const answer = await call(origin + pagePath, {
    method: "POST",
    headers: {
      "next-action": actionId,
      "content-type": "text/plain;charset=UTF-8",
      accept: "text/x-component",
      origin,
      cookie,
    },
    body: JSON.stringify(args),
  });
  // RSC rows look like `1:{"ok":true,...}`; the action's return value is row 1.
  const row = answer.body.split("\n").find((l) => l.startsWith("1:"));
  let result: T | null = null;
  try {
    result = row ? (JSON.parse(row.slice(2)) as T) : null;
  } catch {
    result = null;
  }
  return { status: answer.status, result, body: answer.body };
}

export function listDir(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir) : [];
}
