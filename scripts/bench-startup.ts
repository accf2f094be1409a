/**
 * `npm run bench:startup`: what a user waits for and what the server holds, against a floor — a
 * minimal Next.js custom HTTPS server with one static page, built in the same run from this
 * checkout's node_modules (same Next and React). For both it prints the seconds from `npm start` to
 * the first HTTPS answer (Mail Connect: on a built tree with a fresh DATA_DIR, so migrations, the key
 * file and the certificate are included), the RSS of the serving process 3 s after that answer, and
 * the median time to first byte over 20 requests (the floor's page; Mail Connect's Email Settings,
 * signed in as an administrator made with `npm run admin:create`). Targets: startup ≤ 1.0 s, RSS
 * ratio ≤ 1.5, TTFB ratio ≤ 3. The last three lines are `startup:`, `rss ratio:` and `ttfb ratio:`.
 *
 * The floor app lives in a temporary folder outside the checkout, with a node_modules link to this
 * checkout's (same Next and React) and its Turbopack root at the common ancestor of the two: built inside
 * the checkout, Next.js took the checkout's instrumentation.ts into the floor (so the floor ran Mail
 * Connect's start-up work, and its figures were Mail Connect's more than a minimal server's).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { Agent, request } from "node:https";
import { createServer } from "node:net";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { generate } from "selfsigned";
import { buildIfNeeded } from "./build-if-needed.mjs";

const TARGETS = { startup: 1.0, rss: 1.5, ttfb: 3 };
const ROOT = process.cwd();
const NEXT_BIN = path.join(ROOT, "node_modules", "next", "dist", "bin", "next");
const ADMIN = { email: "bench@contoso.test", password: "bench-Admin-password-1" };
const REQUESTS = 20;

const FLOOR_FILES: Record<string, string> = {
  "package.json": JSON.stringify({
    name: "bench-startup-floor",
    private: true,
    type: "module",
    scripts: { start: "node server.mjs" },
  }),
  "app/layout.jsx": `export default function Layout({ children }) {
  return (<html lang="en"><body>{children}</body></html>);
}
`,
  "app/page.jsx": `export default function Page() {
  return (<main><h1>Floor</h1><p>One static page.</p></main>);
}
`,
  // The cheapest page rendered per request (as every Mail Connect page is, for its CSP nonce): printed for
  // reference, so the figures show what per-request rendering alone costs against the static page.
  "app/dynamic/page.jsx": `import { connection } from "next/server";
export default async function Page() {
  await connection();
  return (<main><h1>Floor</h1><p>One page rendered per request.</p></main>);
}
`,
  "server.mjs": `import https from "node:https";
import { readFileSync } from "node:fs";
import next from "next";

const app = next({ dev: false, dir: process.cwd() });
await app.prepare();
const handle = app.getRequestHandler();
const tls = { key: readFileSync("tls/key.pem"), cert: readFileSync("tls/cert.pem") };
https.createServer(tls, (req, res) => void handle(req, res)).listen(Number(process.env.PORT), "127.0.0.1");
`,
};

/** The deepest folder that holds both paths. */
function commonAncestor(a: string, b: string): string {
  const x = a.split(path.sep);
  const y = b.split(path.sep);
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  return x.slice(0, i).join(path.sep) || path.sep;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

type Answer = { status: number; ttfbMs: number; headers: Record<string, string | string[] | undefined> };

/** One HTTPS request; TTFB is the time until the response head arrived (the body is read and dropped). */
function fetchOnce(
  url: string,
  options: { agent?: Agent; method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    // rejectUnauthorized: false for the self-signed certificates (this benchmark only).
    const req = request(
      url,
      {
        method: options.method ?? "GET",
        headers: options.headers,
        agent: options.agent ?? false,
        rejectUnauthorized: false,
      },
      (res) => {
        const ttfbMs = performance.now() - started;
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode ?? 0, ttfbMs, headers: res.headers }));
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

/** Polls `url` every 20 ms until it answers; returns the seconds since `since`. */
async function firstAnswer(url: string, child: ChildProcess, since: number, seconds = 120): Promise<number> {
  const deadline = since + seconds * 1000;
  while (performance.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: the server exited with ${child.exitCode}`);
    const answered = await fetchOnce(url).then(
      (a) => a.status > 0,
      () => false,
    );
    if (answered) return (performance.now() - since) / 1000;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${url} did not answer within ${seconds} s`);
}

type Proc = { ppid: number; cpuSeconds: number };

function processTable(): Map<number, Proc> {
  const table = new Map<number, Proc>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // utime and stime, in clock ticks (100 per second on Linux)
      table.set(Number(entry), {
        ppid: Number(fields[1]),
        cpuSeconds: (Number(fields[11]) + Number(fields[12])) / 100,
      });
    } catch {
      // the process ended meanwhile
    }
  }
  return table;
}

function descendants(root: number, table: Map<number, Proc>): number[] {
  const out = [root];
  for (let i = 0; i < out.length; i++) for (const [pid, p] of table) if (p.ppid === out[i]) out.push(pid);
  return out;
}

/** The serving process: the deepest descendant of `root` (npm → sh → node). */
function servingPid(root: number): number {
  const table = processTable();
  let pid = root;
  for (;;) {
    const child = [...table].find(([, p]) => p.ppid === pid);
    if (!child) return pid;
    pid = child[0];
  }
}

/** CPU seconds used so far by `root` and its descendants: a figure that load on the machine inflates less than wall time. */
function treeCpuSeconds(root: number): number {
  const table = processTable();
  return descendants(root, table).reduce((sum, pid) => sum + (table.get(pid)?.cpuSeconds ?? 0), 0);
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

async function medianTtfb(url: string, headers: Record<string, string> = {}): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const warm = await fetchOnce(url, { agent, headers });
    if (warm.status !== 200) throw new Error(`${url} answered ${warm.status}`);
    const times: number[] = [];
    for (let i = 0; i < REQUESTS; i++) times.push((await fetchOnce(url, { agent, headers })).ttfbMs);
    times.sort((a, b) => a - b);
    return (times[REQUESTS / 2 - 1] + times[REQUESTS / 2]) / 2;
  } finally {
    agent.destroy();
  }
}

function stop(child: ChildProcess | null): void {
  if (child?.pid && child.exitCode === null) {
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      child.kill("SIGTERM");
    }
  }
}

function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): void {
  const result = spawnSync(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed:\n${result.stdout}\n${result.stderr}`);
}

type Figures = { startup: number; startupCpu: number; rss: number; ttfb: number };
/** The floor's page rendered per request (for reference, not a target). */
let floorDynamicTtfb = 0;

async function main() {
  process.env.NEXT_TELEMETRY_DISABLED = "1";
  mkdirSync(path.join(ROOT, "bench-results"), { recursive: true });
  const floorDir = realpathSync(mkdtempSync(path.join(tmpdir(), "mail-connect-bench-floor-")));
  const dataDir = mkdtempSync(path.join(tmpdir(), "mail-connect-bench-startup-"));
  let floorServer: ChildProcess | null = null;
  let appServer: ChildProcess | null = null;
  try {
    symlinkSync(path.join(ROOT, "node_modules"), path.join(floorDir, "node_modules"), "dir");
    const turbopackRoot = commonAncestor(floorDir, realpathSync(path.join(ROOT, "node_modules")));
    writeFileSync(
      path.join(floorDir, "next.config.mjs"),
      `export default { poweredByHeader: false, turbopack: { root: ${JSON.stringify(turbopackRoot)} } };\n`,
    );
    for (const [file, text] of Object.entries(FLOOR_FILES)) {
      mkdirSync(path.dirname(path.join(floorDir, file)), { recursive: true });
      writeFileSync(path.join(floorDir, file), text);
    }
    const tls = await generate([{ name: "commonName", value: "localhost" }], { keyType: "ec", curve: "P-256" });
    mkdirSync(path.join(floorDir, "tls"));
    writeFileSync(path.join(floorDir, "tls", "key.pem"), tls.private);
    writeFileSync(path.join(floorDir, "tls", "cert.pem"), tls.cert);
    console.log("Building the floor (a Next.js custom HTTPS server, one static page) …");
    run(process.execPath, [NEXT_BIN, "build"], { cwd: floorDir, env: { ...process.env, NEXT_DIST_DIR: "" } });
    if (existsSync(path.join(floorDir, ".next", "server", "instrumentation.js"))) {
      throw new Error("The floor's build took in an instrumentation hook: it is not a minimal server.");
    }
    console.log("Building Mail Connect when needed …");
    buildIfNeeded();

    // The floor: `npm start` in its folder.
    const floorPort = await freePort();
    let since = performance.now();
    floorServer = spawn("npm", ["start", "--silent"], {
      cwd: floorDir,
      stdio: "ignore",
      detached: true,
      env: { ...process.env, NEXT_DIST_DIR: "", PORT: String(floorPort) },
    });
    const floorUrl = `https://127.0.0.1:${floorPort}/`;
    const floorStartup = await firstAnswer(floorUrl, floorServer, since);
    const floorCpu = treeCpuSeconds(floorServer.pid!);
    await new Promise((r) => setTimeout(r, 3000));
    const floor: Figures = {
      startup: floorStartup,
      startupCpu: floorCpu,
      rss: rssMb(servingPid(floorServer.pid!)),
      ttfb: 0,
    };
    console.log(`Floor: first answer after ${floorStartup.toFixed(2)} s; timing ${REQUESTS} requests …`);
    floor.ttfb = await medianTtfb(floorUrl);
    floorDynamicTtfb = await medianTtfb(`${floorUrl}dynamic`);
    stop(floorServer);

    // Mail Connect: `npm start` on the built tree with a fresh DATA_DIR.
    const appPort = await freePort();
    const origin = `https://localhost:${appPort}`;
    const env = { ...process.env, DATA_DIR: dataDir, PORT: String(appPort), HOST: "127.0.0.1" };
    since = performance.now();
    const log = openSync(path.join(ROOT, "bench-results", "bench-startup-server.log"), "w");
    appServer = spawn("npm", ["start", "--silent"], { stdio: ["ignore", log, log], detached: true, env });
    const appStartup = await firstAnswer(`${origin}/`, appServer, since);
    const appCpu = treeCpuSeconds(appServer.pid!);
    await new Promise((r) => setTimeout(r, 3000));
    const app: Figures = { startup: appStartup, startupCpu: appCpu, rss: rssMb(servingPid(appServer.pid!)), ttfb: 0 };

    console.log(`Mail Connect: first answer after ${appStartup.toFixed(2)} s; creating an admin, signing in …`);
    run("npm", ["run", "--silent", "admin:create", "--", "--email", ADMIN.email], {
      env: { ...env, ADMIN_PASSWORD: ADMIN.password },
    });
    const signIn = await fetchOnce(`${origin}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin },
      body: JSON.stringify({ email: ADMIN.email, password: ADMIN.password }),
    });
    if (signIn.status !== 200) throw new Error(`sign-in answered ${signIn.status}`);
    const cookie = ([signIn.headers["set-cookie"] ?? []].flat() as string[]).map((c) => c.split(";")[0]).join("; ");
    app.ttfb = await medianTtfb(`${origin}/settings/email`, { cookie });

    const row = (name: string, f: Figures) =>
      `  ${name.padEnd(14)} ${f.startup.toFixed(2).padStart(6)} s (CPU ${f.startupCpu.toFixed(2)} s)  ${f.rss.toFixed(0).padStart(5)} MB  ${f.ttfb.toFixed(1).padStart(6)} ms`;
    console.log("");
    console.log(
      `                 startup (CPU of npm start and its children)  idle RSS  median TTFB (${REQUESTS} requests)`,
    );
    console.log(
      `  load average when done: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(", ")} (${cpus().length} cores)`,
    );
    console.log(row("floor (page)", floor));
    console.log(
      `  floor (page rendered per request, for reference)              ${floorDynamicTtfb.toFixed(1).padStart(6)} ms`,
    );
    console.log(row("Mail Connect", app).replace(/ms$/, "ms (Email Settings, signed in)"));
    console.log(`targets: startup ≤ ${TARGETS.startup} s, RSS ratio ≤ ${TARGETS.rss}, TTFB ratio ≤ ${TARGETS.ttfb}`);
    writeFileSync(
      path.join(ROOT, "bench-results", "bench-startup.json"),
      JSON.stringify(
        { at: new Date().toISOString(), floor, floorDynamicTtfb, mailConnect: app, targets: TARGETS },
        null,
        2,
      ),
    );
    console.log(
      `reference: Email Settings TTFB ÷ the floor's page rendered per request = ${(app.ttfb / floorDynamicTtfb).toFixed(2)}; ` +
        `the floor's own per-request page ÷ its static page = ${(floorDynamicTtfb / floor.ttfb).toFixed(2)}`,
    );
    console.log(`startup: ${app.startup.toFixed(2)} s`);
    console.log(`rss ratio: ${(app.rss / floor.rss).toFixed(2)}`);
    console.log(`ttfb ratio: ${(app.ttfb / floor.ttfb).toFixed(2)}`);
  } finally {
    stop(floorServer);
    stop(appServer);
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(floorDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
