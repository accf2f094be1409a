/**
 * npm run bench:test-email — times Test Email Configuration against an in-process Microsoft 365
 * sandbox with 50 ms added to every server reply (identity platform, SMTP, IMAP).
 *
 * Prints, per scenario (SMTP and IMAP on two Microsoft accounts, then on one): the wall time of the
 * whole action (read settings → tokens → SMTP ‖ IMAP → store the run), of each check, and the
 * number of token-endpoint calls with a cold and a warm token cache. Last line: `ratio: X`
 * (whole action ÷ slower mail check, median of the warm runs of the first scenario).
 *
 * Run with: tsx --conditions=react-server scripts/bench-test-email.ts  (server-only modules)
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const LATENCY_MS = 50;
const WARM_RUNS = Number(process.env.BENCH_RUNS || 7);

const dataDir = mkdtempSync(path.join(os.tmpdir(), "mc-bench-"));
process.env.DATA_DIR = dataDir;
delete process.env.DATABASE_URL;
delete process.env.APP_ENCRYPTION_KEY;

type Run = { whole: number; cards: Record<string, number>; ok: boolean; failures: string[] };

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

async function main() {
  const { applyMigrations } = await import("@/lib/db/migrate");
  const { databaseUrl } = await import("@/lib/db/database-url");
  await applyMigrations(databaseUrl());
  const { ADMIN, configure, SandboxBrowser, startTestSandbox } = await import("../test/support/sandbox-oauth");
  const { SEED_USERS } = await import("@mail-connect/m365-sandbox");
  const { db } = await import("@/lib/db/client");
  const { startAuthorization } = await import("@/lib/microsoft/authorize-url");
  const { completeAuthorization } = await import("@/lib/microsoft/callback");
  const { testEmailConfiguration } = await import("@/lib/mail/test-email");

  const sandbox = await startTestSandbox();
  const control = sandbox.control;
  const admin = { ...ADMIN };
  await db.user
    .create({ data: { id: admin.id, name: admin.name, email: admin.email, emailVerified: true } })
    .catch(() => undefined);

  const authorize = async (role: "smtp" | "imap", who: { email: string; password: string }) => {
    const start = await startAuthorization(role, admin);
    if (!("url" in start)) throw new Error(start.blockers.join(" "));
    const back = await new SandboxBrowser(sandbox).authorize(start.url, { login: who.email, password: who.password });
    await completeAuthorization(back.searchParams, admin);
  };

  const once = async (): Promise<Run> => {
    await db.testEmailStart.deleteMany(); // more runs than the 10-a-minute limit allows an admin
    const t = performance.now();
    const { run } = await testEmailConfiguration(admin, { tls: { ca: sandbox.caCert } });
    const whole = Math.round(performance.now() - t);
    return {
      whole,
      cards: Object.fromEntries(run.cards.map((c) => [c.id, c.ms])),
      ok: run.ok,
      failures: run.cards.filter((c) => !c.ok).map((c) => `${c.id}: ${c.summary}`),
    };
  };

  const line = (label: string, r: Run) =>
    `  ${label.padEnd(6)} whole ${String(r.whole).padStart(4)} ms | ` +
    Object.entries(r.cards)
      .map(([k, v]) => `${k} ${v} ms`)
      .join(" | ") +
    (r.ok ? "" : `  FAILED: ${r.failures.join("; ")}`);

  /** Cold cache: authorize while access tokens live 60 s (inside MSAL's 5-minute renewal margin), so the next run must refresh. */
  const makeCold = async (roles: Array<["smtp" | "imap", { email: string; password: string }]>) => {
    await control.setLatency({ http: 0, smtp: 0, imap: 0 });
    await control.setAccessTokenLifetime(60);
    for (const [role, who] of roles) await authorize(role, who);
    await control.setAccessTokenLifetime(3599);
    await control.setLatency({ http: LATENCY_MS, smtp: LATENCY_MS, imap: LATENCY_MS });
    await control.clearTokenCalls();
  };

  const scenario = async (
    title: string,
    overrides: Parameters<typeof configure>[1],
    roles: Array<["smtp" | "imap", { email: string; password: string }]>,
  ) => {
    await control.setLatency({ http: 0, smtp: 0, imap: 0 });
    await configure(sandbox, overrides);
    const accounts = new Set(roles.map(([, who]) => who.email)).size;
    console.log(
      `\n${title} (${accounts} Microsoft account${accounts === 1 ? "" : "s"}), +${LATENCY_MS} ms per server reply`,
    );

    await makeCold(roles);
    const cold = await once();
    const coldCalls = (await control.tokenCalls()).length;
    console.log(line("cold", cold));

    await control.clearTokenCalls();
    const warm: Run[] = [];
    for (let i = 0; i < WARM_RUNS; i++) warm.push(await once());
    const warmCalls = (await control.tokenCalls()).length;
    for (const [i, r] of warm.entries()) console.log(line(`warm${i + 1}`, r));

    const ratios = warm.map((r) => r.whole / Math.max(r.cards.smtp ?? 0, r.cards.imap ?? 0));
    console.log(
      `  token-endpoint calls: cold ${coldCalls} (target ${accounts}), warm ${warmCalls} over ${WARM_RUNS} runs (target 0)`,
    );
    console.log(
      `  median warm: whole ${median(warm.map((r) => r.whole))} ms, smtp ${median(warm.map((r) => r.cards.smtp ?? 0))} ms, imap ${median(warm.map((r) => r.cards.imap ?? 0))} ms; ` +
        `cold ratio ${(cold.whole / Math.max(cold.cards.smtp ?? 0, cold.cards.imap ?? 0)).toFixed(2)}`,
    );
    return { ratio: median(ratios), ok: cold.ok && warm.every((r) => r.ok) };
  };

  try {
    const a = await scenario("SMTP as mailer@, IMAP as approvals@", {}, [
      ["smtp", SEED_USERS.mailer],
      ["imap", SEED_USERS.approvals],
    ]);
    const b = await scenario("SMTP and IMAP both as mailer@", { imapUser: "mailer@contoso.test" }, [
      ["smtp", SEED_USERS.mailer],
    ]);
    console.log(`\nsame-account ratio (median warm): ${b.ratio.toFixed(2)}`);
    if (!a.ok || !b.ok) console.log("WARNING: some runs failed (see above)");
    console.log(`ratio: ${a.ratio.toFixed(2)}`);
  } finally {
    await sandbox.stop();
    await db.$disconnect?.();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
