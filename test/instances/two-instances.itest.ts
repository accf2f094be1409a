/**
 * Two app instances (two `scripts/start.mjs` processes on their own ports and DATA_DIRs, the same
 * DATABASE_URL and APP_ENCRYPTION_KEY) sharing one real PostgreSQL 15, with the Microsoft 365 sandbox
 * in this process. Needs a production build (NEXT_DIST_DIR or .next): `npm test` runs this after
 * `next build` (vitest.instances.config.mts).
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium } from "@playwright/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestPostgres, type TestPostgres } from "../support/postgres";
import { call, callAction, serverActionId, startInstance, type Instance } from "./support";
import { CookieJar, completeAuthorize } from "@mail-connect/m365-sandbox/testing";
import { SEED_USERS, startSandbox, type RunningSandbox } from "@mail-connect/m365-sandbox";

const DIST = process.env.NEXT_DIST_DIR || ".next";
const PORT_A = Number(process.env.INSTANCE_A_PORT || 6550);
const PORT_B = Number(process.env.INSTANCE_B_PORT || 6551);
const ADMIN = { name: "Erin Admin", email: "admin@contoso.test", password: "two-instances-Password-1" };
const SENDER = SEED_USERS.mailer;
const APPROVALS = SEED_USERS.approvals;

type ActionResult<T = unknown> = { ok: true; data?: T; message?: string } | { ok: false; error: string };
type TestRun = { run: { ok: boolean; cards: { id: string; ok: boolean; summary: string }[] } };

let pgServer: TestPostgres;
let sandbox: RunningSandbox;
let a: Instance;
let b: Instance;
let cookie = "";
const actions = { saveGeneral: "" };

function sessionCookie(setCookie: string | string[] | undefined): string {
  const list = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  const found = list.find((c) => /better-auth\.session_token=/.test(c));
  if (!found) throw new Error(`no session cookie in ${JSON.stringify(list)}`);
  return found.split(";")[0]!;
}

async function signIn(instance: Instance, password: string, clientIp: string, email = ADMIN.email) {
  return call(`${instance.origin}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: instance.origin, "x-forwarded-for": clientIp },
    body: JSON.stringify({ email, password }),
  });
}

async function authorize(
  start: Instance,
  finish: Instance,
  role: "smtp" | "imap",
  who: { email: string; password: string },
) {
  const started = await call(`${start.origin}/api/oauth/authorize`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: start.origin, cookie },
    body: new URLSearchParams({ role }).toString(),
  });
  expect(started.status, started.body).toBe(303);
  const authorizeUrl = String(started.headers.location);
  expect(authorizeUrl).toContain(sandbox.authorityOrigin);
  const outcome = await completeAuthorize(authorizeUrl, {
    ca: sandbox.caCert,
    jar: new CookieJar(),
    user: { email: who.email, password: who.password },
  });
  // Microsoft redirects to the Server Base URL (instance A's address); the load balancer delivers it to `finish`.
  expect(outcome.redirect.origin).toBe(a.origin);
  const callback = await call(`${finish.origin}${outcome.redirect.pathname}${outcome.redirect.search}`, {
    headers: { cookie },
  });
  expect(callback.status).toBe(303);
  expect(String(callback.headers.location)).toMatch(/[?&]oauth=/);
}

/** Test Email Configuration through its route: the NDJSON lines end with `done` (the run) or `failed`; a refusal is JSON. */
async function testEmail(
  instance: Instance,
): Promise<{ status: number; result: ActionResult<TestRun> | null; body: string }> {
  const answer = await call(`${instance.origin}/api/test-email`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: instance.origin, cookie },
    body: "",
  });
  const lines = answer.body.split("\n").filter(Boolean);
  let result: ActionResult<TestRun> | null = null;
  try {
    const last = JSON.parse(lines.at(-1) ?? "null") as ({ type?: string; error?: string } & Partial<TestRun>) | null;
    if (last?.type === "done") result = { ok: true, data: last as TestRun };
    else if (last?.error) result = { ok: false, error: last.error };
  } catch {
    result = null;
  }
  return { status: answer.status, result, body: answer.body };
}

beforeAll(async () => {
  actions.saveGeneral = serverActionId(DIST, "saveGeneralSettingsAction");
  pgServer = await startTestPostgres();
  const url = await pgServer.createDatabase("mailconnect");
  sandbox = await startSandbox({
    dataDir: mkdtempSync(path.join(os.tmpdir(), "mc-sandbox-")),
    identityPort: 0,
    smtpPort: 0,
    imapPort: 0,
    seed: true,
    appRedirectUris: [`https://localhost:${PORT_A}/flexdeploy/rest/v2/oauth`],
  });
  // Access tokens shorter than MSAL's 5-minute renewal margin: every token request refreshes.
  await sandbox.control.setAccessTokenLifetime(60);
  const key = randomBytes(32).toString("base64");
  const env = {
    DATABASE_URL: url,
    APP_ENCRYPTION_KEY: key,
    NODE_EXTRA_CA_CERTS: sandbox.caBundleFile,
    TRUST_PROXY: "1",
    NEXT_DIST_DIR: DIST,
  };
  [a, b] = await Promise.all([
    startInstance("A", PORT_A, { ...env, DATA_DIR: mkdtempSync(path.join(os.tmpdir(), "mc-inst-a-")) }),
    startInstance("B", PORT_B, { ...env, DATA_DIR: mkdtempSync(path.join(os.tmpdir(), "mc-inst-b-")) }),
  ]);

  // The administrator and the saved settings, written through the app's own code on the shared database.
  Object.assign(process.env, { DATABASE_URL: url, APP_ENCRYPTION_KEY: key });
  const { createAdmin } = await import("@/lib/auth/admin-accounts");
  await createAdmin(ADMIN);
  const { db } = await import("@/lib/db/client");
  await db.generalSettings.create({ data: { id: 1, serverBaseUrl: a.origin, version: 1, updatedBy: ADMIN.email } });
  const { configure } = await import("../support/sandbox-oauth");
  await configure(sandbox, { smtpUser: SENDER.email, imapUser: APPROVALS.email });
}, 120_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await sandbox?.stop();
  await pgServer?.destroy();
});

describe("two instances, one PostgreSQL", () => {
  it("both instances are ready: /api/health 200 with migrations current (each applied them once between them)", async () => {
    for (const instance of [a, b]) {
      const health = await call(`${instance.origin}/api/health`);
      expect(health.status, `${instance.name}: ${health.body}`).toBe(200);
      expect(JSON.parse(health.body)).toMatchObject({ ok: true, database: "ok", migrations: "current" });
    }
    const ready = [a, b].map((i) => /Database ready \((\d+) migrations, (\d+) applied now\)/.exec(i.log()));
    expect(ready.every(Boolean)).toBe(true);
    const total = Number(ready[0]![1]);
    expect(ready.map((m) => Number(m![2])).sort()).toEqual([0, total]); // started together; one applied them, the other waited
  });

  it("signed in on A is signed in on B (the session lives in the database)", async () => {
    const answer = await signIn(a, ADMIN.password, "198.51.100.10");
    expect(answer.status, answer.body).toBe(200);
    cookie = sessionCookie(answer.headers["set-cookie"]);
    const onB = await call(`${b.origin}/settings/general`, { headers: { cookie } });
    expect(onB.status).toBe(200);
    expect(onB.body).toContain(ADMIN.email);
    const signedOut = await call(`${b.origin}/settings/general`);
    expect(signedOut.status).toBe(307);
  });

  it("sign-in throttling is shared: attempts on A and B count together", async () => {
    const ip = "203.0.113.77"; // behind the proxy (TRUST_PROXY=1): the client address from X-Forwarded-For
    // Failures for an unknown account: the per-address limit counts them, and the administrator's own
    // per-account backoff (lib/auth/sign-in-backoff.ts) stays clear for the last line.
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      statuses.push((await signIn(i % 2 ? b : a, "wrong-password-123", ip, "nobody@contoso.test")).status);
    }
    expect(statuses.slice(0, 5).every((s) => s === 401)).toBe(true);
    expect(statuses[5]).toBe(429); // the 6th attempt in a minute (5 allowed), whichever instance gets it
    expect((await signIn(a, ADMIN.password, ip)).status).toBe(429);
    expect((await signIn(b, ADMIN.password, "198.51.100.11")).status).toBe(200); // another client is not affected
  });

  it("Authorize started on A, callback delivered to B: the connection is visible on both", async () => {
    await authorize(a, b, "smtp", SENDER);
    await authorize(b, a, "imap", APPROVALS);
    for (const instance of [a, b]) {
      const page = await call(`${instance.origin}/settings/email`, { headers: { cookie } });
      expect(page.status).toBe(200);
      expect(page.body).toContain(SENDER.email);
      expect(page.body).toContain(APPROVALS.email);
      expect(page.body).not.toMatch(/Not authorized|not authorized yet/i);
    }
    const { db } = await import("@/lib/db/client");
    expect((await db.oAuthConnection.findMany()).map((c) => [c.account, c.status]).sort()).toEqual([
      [APPROVALS.email, "connected"],
      [SENDER.email, "connected"],
    ]);
  });

  it("Test Email Configuration on A and B at the same moment with expired access tokens: both succeed, the newest refresh token is kept", async () => {
    await testEmail(a); // warm both instances (first action call compiles nothing, but loads modules)
    await sandbox.control.clearTokenCalls();

    // Microsoft answering slowly (1.5 s) makes the two instances' refreshes overlap for certain: without
    // serialisation both would present the same refresh token and one rotated token would be lost
    // (checked: with the lease removed from acquireMailToken this test fails).
    await sandbox.control.setLatency({ http: 1500 });
    const [onA, onB] = await Promise.all([testEmail(a), testEmail(b)]).finally(() =>
      sandbox.control.setLatency({ http: 0 }),
    );
    for (const [name, r] of [
      ["A", onA],
      ["B", onB],
    ] as const) {
      expect(r.status, `${name}: ${r.body.slice(0, 300)}`).toBe(200);
      expect(r.result?.ok, `${name}: ${r.body.slice(0, 500)}`).toBe(true);
      const run = (r.result as { ok: true; data: TestRun }).data.run;
      expect(run.ok, `${name}: ${JSON.stringify(run.cards.map((c) => [c.id, c.ok, c.summary]))}`).toBe(true);
    }
    const refreshes = (await sandbox.control.tokenCalls()).filter((c) => c.grantType === "refresh_token");
    expect(refreshes.length).toBeGreaterThanOrEqual(4); // two connections × two instances
    for (const r of refreshes) {
      expect(r.status).toBe(200);
      expect(r.presentedRefreshToken?.newest, `refresh for ${r.user} presented an older refresh token`).toBe(true);
    }
    // Serialised across the instances: per account, each refresh presented the token the previous one
    // was issued (a chain), never the same token twice.
    for (const user of [SENDER.email, APPROVALS.email]) {
      const chain = refreshes.filter((r) => r.user === user);
      expect(chain.length).toBeGreaterThanOrEqual(2);
      for (let i = 1; i < chain.length; i++) {
        expect(chain[i]!.presentedRefreshToken?.fingerprint).toBe(chain[i - 1]!.issuedRefreshToken?.fingerprint);
      }
    }

    await sandbox.control.clearTokenCalls();
    const next = await testEmail(b);
    expect(next.result?.ok).toBe(true);
    const after = (await sandbox.control.tokenCalls()).filter((c) => c.grantType === "refresh_token");
    expect(after.length).toBeGreaterThanOrEqual(2);
    for (const r of after) expect(r.presentedRefreshToken?.newest).toBe(true);
  });

  it("PostgreSQL stopped while the app runs: 503 health, clear 'database unavailable' from routes and actions, an error page; nothing half-written; recovery", async () => {
    const { db } = await import("@/lib/db/client");
    const before = {
      general: await db.generalSettings.findUniqueOrThrow({ where: { id: 1 } }),
      audit: await db.auditEvent.count(),
      runs: await db.emailTestRun.count(),
      states: await db.oAuthState.count(),
    };
    await db.$disconnect();
    await pgServer.stop();
    try {
      for (const instance of [a, b]) {
        const health = await call(`${instance.origin}/api/health`);
        expect(health.status).toBe(503);
        expect(JSON.parse(health.body)).toMatchObject({
          ok: false,
          database: "unreachable",
          reason: "database unavailable",
        });
      }
      // Server actions: a clear refusal, not an error page.
      const save = await callAction<ActionResult>(
        a.origin,
        "/settings/general",
        actions.saveGeneral,
        [{ serverBaseUrl: "https://changed.contoso.test", version: before.general.version }],
        cookie,
      );
      expect(save.status).toBe(200);
      expect(save.result).toEqual({ ok: false, error: expect.stringMatching(/database is unavailable/) });
      const tested = await testEmail(b);
      expect(tested.result).toEqual({ ok: false, error: expect.stringMatching(/database is unavailable/) });
      // Route handlers: the auth API answers 503 with the reason; the OAuth routes send the browser to a page saying so.
      const signInDown = await signIn(b, ADMIN.password, "198.51.100.12");
      expect(signInDown.status).toBe(503);
      expect(signInDown.body).toMatch(/database is unavailable/);
      expect(signInDown.body).not.toMatch(/at .*\.js:\d+/); // no stack trace
      const authorizeDown = await call(`${a.origin}/api/oauth/authorize`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", origin: a.origin, cookie },
        body: "role=smtp",
      });
      expect(authorizeDown.status).toBe(303);
      expect(String(authorizeDown.headers.location)).toContain("oauth_error=database_unavailable");
      // Pages: Next.js answers 500 with an error shell (server error text is never sent); the browser
      // renders app/error.tsx, which asks /api/health and says "Database unavailable".
      const page = await call(`${a.origin}/settings/email`, { headers: { cookie } });
      expect(page.status).toBe(500);
      expect(page.body).not.toMatch(/at .*\.js:\d+|ECONNREFUSED|PrismaClient/);
      const browser = await chromium.launch({
        executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
        args: ["--disable-gpu", "--no-first-run"],
      });
      try {
        const context = await browser.newContext({ ignoreHTTPSErrors: true });
        const eq = cookie.indexOf("=");
        const [name, value] = [cookie.slice(0, eq), cookie.slice(eq + 1)];
        await context.addCookies([{ name, value, url: b.origin, secure: true, httpOnly: true, sameSite: "Lax" }]);
        const tab = await context.newPage();
        await tab.goto(`${b.origin}/settings/email`);
        await tab.getByRole("heading", { name: "Database unavailable" }).waitFor({ timeout: 15_000 });
        expect(await tab.getByTestId("error-page").innerText()).toMatch(/cannot reach its database/);
      } finally {
        await browser.close();
      }
    } finally {
      await pgServer.start();
    }
    // Recovery: the pools reconnect by themselves.
    for (const instance of [a, b]) {
      let health = await call(`${instance.origin}/api/health`);
      for (let i = 0; i < 50 && health.status !== 200; i++) {
        await new Promise((r) => setTimeout(r, 200));
        health = await call(`${instance.origin}/api/health`);
      }
      expect(health.status).toBe(200);
      const page = await call(`${instance.origin}/settings/email`, { headers: { cookie } });
      expect(page.status).toBe(200);
    }
    const after = {
      general: await db.generalSettings.findUniqueOrThrow({ where: { id: 1 } }),
      audit: await db.auditEvent.count(),
      runs: await db.emailTestRun.count(),
      states: await db.oAuthState.count(),
    };
    expect(after).toEqual(before); // nothing was written while the database was away
    const again = await testEmail(a);
    expect(again.result?.ok).toBe(true);
  });
});
