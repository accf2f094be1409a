/**
 * `npm run bench:pages`: first-load JavaScript of Email Settings against a floor — a minimal Next.js
 * page holding one react-hook-form + zod form, built in the same run from this checkout's
 * node_modules (same Next, React, react-hook-form and zod versions). Both pages are loaded in
 * Chromium from a cold cache; the JavaScript actually transferred is summed, each file gzipped
 * (level 6, what a server sends). Prints both figures and the ratio; exits 1 above the target
 * (1.15 × the floor).
 *
 * The floor app lives in bench-results/ (git-ignored) only for the run: no bench page ships in the
 * product. The app is built with `npm run build` when its sources changed (as `npm start` does), into
 * NEXT_DIST_DIR (default .next), and served by scripts/start.mjs with a throwaway DATA_DIR.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { get as httpGet } from "node:http";
import { get as httpsGet } from "node:https";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { chromium, type Browser, type BrowserContext } from "@playwright/test";
import { buildIfNeeded } from "./build-if-needed.mjs";
import { serverStartArgs } from "./server-node-flags.mjs";

const TARGET_RATIO = 1.15;
const ROOT = process.cwd();
const FLOOR_DIR = path.join(ROOT, "bench-results", "floor-app");
const NEXT_BIN = path.join(ROOT, "node_modules", "next", "dist", "bin", "next");
const ADMIN = { email: "bench@contoso.test", password: "bench-Admin-password-1" };

const FLOOR_FILES: Record<string, string> = {
  "package.json": JSON.stringify({ name: "bench-floor", private: true, type: "module" }),
  "next.config.mjs": "export default { poweredByHeader: false };\n",
  "app/layout.jsx": `export default function Layout({ children }) {
  return (<html lang="en"><body>{children}</body></html>);
}
`,
  "app/page.jsx": `import { Form } from "./form";
export default function Page() {
  return (<main><h1>Floor</h1><Form /></main>);
}
`,
  "app/form.jsx": `"use client";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { z } from "zod";

const schema = z.object({ serverBaseUrl: z.string().trim().url({ message: "Enter a URL" }) });

export function Form() {
  const form = useForm({ resolver: zodResolver(schema), defaultValues: { serverBaseUrl: "" } });
  const onSubmit = form.handleSubmit(async (values) => { console.log(values); });
  return (
    <form onSubmit={onSubmit} noValidate>
      <label htmlFor="u">Server Base URL</label>
      <input id="u" {...form.register("serverBaseUrl")} />
      {form.formState.errors.serverBaseUrl ? <p role="alert">{form.formState.errors.serverBaseUrl.message}</p> : null}
      <button type="submit">Save</button>
    </form>
  );
}
`,
};

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

async function waitFor(url: string, child: ChildProcess, seconds = 120): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: the server exited with ${child.exitCode}`);
    const status = await new Promise<number>((resolve) => {
      // rejectUnauthorized: false for the app's self-signed certificate (this probe only).
      const req = (url.startsWith("https:") ? httpsGet : httpGet)(url, { rejectUnauthorized: false }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", () => resolve(0)); // not listening yet
    });
    if (status > 0 && status < 500) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${url} did not answer within ${seconds} s`);
}

type Load = { totalGzip: number; totalRaw: number; files: { url: string; gzip: number }[] };

/** Opens `url` in a fresh context (cold cache) and sums the JavaScript it transferred. */
async function measure(context: BrowserContext, url: string): Promise<Load> {
  const page = await context.newPage();
  const files: { url: string; gzip: number; raw: number }[] = [];
  const pending: Promise<void>[] = [];
  page.on("response", (r) => {
    const type = r.request().resourceType();
    if (type !== "script") return;
    pending.push(
      r.body().then(
        (body) =>
          void files.push({
            url: new URL(r.url()).pathname,
            raw: body.length,
            gzip: gzipSync(body, { level: 6 }).length,
          }),
        () => undefined,
      ),
    );
  });
  await page.goto(url, { waitUntil: "networkidle" });
  await Promise.all(pending);
  await page.close();
  const unique = [...new Map(files.map((f) => [f.url, f])).values()].sort((a, b) => b.gzip - a.gzip);
  return {
    totalGzip: unique.reduce((n, f) => n + f.gzip, 0),
    totalRaw: unique.reduce((n, f) => n + f.raw, 0),
    files: unique,
  };
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

function stop(child: ChildProcess | null): void {
  if (child && child.exitCode === null && child.pid) {
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      child.kill("SIGTERM");
    }
  }
}

async function main() {
  process.env.NEXT_TELEMETRY_DISABLED = "1";
  let floorServer: ChildProcess | null = null;
  let appServer: ChildProcess | null = null;
  let browser: Browser | null = null;
  const dataDir = mkdtempSync(path.join(tmpdir(), "mail-connect-bench-"));
  try {
    // 1. The floor app: build it from this checkout's node_modules.
    rmSync(FLOOR_DIR, { recursive: true, force: true });
    for (const [file, text] of Object.entries(FLOOR_FILES)) {
      mkdirSync(path.dirname(path.join(FLOOR_DIR, file)), { recursive: true });
      writeFileSync(path.join(FLOOR_DIR, file), text);
    }
    console.log("Building the floor page (react-hook-form + zod) …");
    const floorBuild = spawnSync(process.execPath, [NEXT_BIN, "build"], {
      cwd: FLOOR_DIR,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, NEXT_DIST_DIR: "" },
    });
    if (floorBuild.status !== 0) throw new Error(`floor build failed:\n${floorBuild.stdout}\n${floorBuild.stderr}`);

    // 2. The app: build when its sources changed.
    console.log("Building Mail Connect when needed …");
    buildIfNeeded();

    const floorPort = await freePort();
    floorServer = spawn(process.execPath, [NEXT_BIN, "start", "-p", String(floorPort), "-H", "127.0.0.1"], {
      cwd: FLOOR_DIR,
      stdio: "ignore",
      detached: true,
      env: { ...process.env, NEXT_DIST_DIR: "" },
    });
    const floorUrl = `http://127.0.0.1:${floorPort}/`;

    const admin = spawnSync(
      "npx",
      ["tsx", "--conditions=react-server", "scripts/admin-create.ts", "--email", ADMIN.email],
      {
        stdio: ["ignore", "pipe", "pipe"],
        env: { ...process.env, DATA_DIR: dataDir, ADMIN_PASSWORD: ADMIN.password },
      },
    );
    if (admin.status !== 0) throw new Error(`admin:create failed:\n${admin.stdout}\n${admin.stderr}`);
    const appPort = await freePort();
    appServer = spawn(process.execPath, serverStartArgs(), {
      stdio: "ignore",
      detached: true,
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        PORT: String(appPort),
        HOST: "127.0.0.1",
        SKIP_BUILD: "1",
        MAIL_CONNECT_KEEPALIVE: "off",
        NODE_ENV: "production",
      },
    });
    const appUrl = `https://localhost:${appPort}`;
    await Promise.all([waitFor(floorUrl, floorServer), waitFor(`https://127.0.0.1:${appPort}/api/health`, appServer)]);

    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });

    const floorContext = await browser.newContext();
    const floor = await measure(floorContext, floorUrl);
    await floorContext.close();

    // Sign in once, then load Email Settings in a fresh context (cold cache, signed in).
    const signIn = await browser.newContext({ ignoreHTTPSErrors: true });
    const p = await signIn.newPage();
    await p.goto(`${appUrl}/sign-in`);
    await p.getByLabel("Email").fill(ADMIN.email);
    await p.getByLabel("Password").fill(ADMIN.password);
    await p.getByRole("button", { name: "Sign in" }).click();
    await p.waitForURL(/\/settings\//);
    const state = await signIn.storageState();
    await signIn.close();
    const appContext = await browser.newContext({ ignoreHTTPSErrors: true, storageState: state });
    const email = await measure(appContext, `${appUrl}/settings/email`);
    await appContext.close();

    const ratio = email.totalGzip / floor.totalGzip;
    console.log("");
    console.log(`First-load JS, gzip (raw):`);
    console.log(
      `  floor (one react-hook-form + zod form): ${kb(floor.totalGzip)} (${kb(floor.totalRaw)}) in ${floor.files.length} files`,
    );
    console.log(
      `  Email Settings:                         ${kb(email.totalGzip)} (${kb(email.totalRaw)}) in ${email.files.length} files`,
    );
    console.log(`  ratio: ${ratio.toFixed(3)} (target ≤ ${TARGET_RATIO})`);
    console.log("");
    console.log("Email Settings, largest files (gzip):");
    for (const f of email.files.slice(0, 8)) console.log(`  ${kb(f.gzip).padStart(9)}  ${f.url}`);
    mkdirSync(path.join(ROOT, "bench-results"), { recursive: true });
    writeFileSync(
      path.join(ROOT, "bench-results", "bench-pages.json"),
      JSON.stringify(
        { at: new Date().toISOString(), floor, emailSettings: email, ratio, target: TARGET_RATIO },
        null,
        2,
      ),
    );
    if (ratio > TARGET_RATIO) process.exitCode = 1;
  } finally {
    await browser?.close();
    stop(floorServer);
    stop(appServer);
    rmSync(dataDir, { recursive: true, force: true });
    if (!process.env.BENCH_KEEP_FLOOR) rmSync(FLOOR_DIR, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
