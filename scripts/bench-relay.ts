/**
 * npm run bench:relay — the SMTP relay against sending directly, with 50 ms added to every reply of
 * the in-process Microsoft 365 sandbox (identity platform and SMTP).
 *
 * 200 messages from 10 concurrent clients (one SMTP session each, 20 messages in a row) through the
 * relay to the sandbox, and the same 200 sent directly to the sandbox with XOAUTH2 in the same run.
 * Prints throughput and p50/p95 submission latency (from the client's MAIL FROM to the answer at the
 * end of DATA: nodemailer's envelopeTime + messageTime) of both, the token-endpoint calls during the
 * warm relay run (target 0), the upstream sessions the relay opened, and last `throughput ratio: X`
 * (relay ÷ direct; target ≥ 0.9) and `added p95: Y ms` (target ≤ 20 ms).
 *
 * The relay runs in a process of its own (as in production, where it is the server's), the sandbox and
 * the clients in this one: in one process the relay's TLS and SMTP work and the sandbox's would share
 * one thread and the figures would measure that.
 *
 * Run with: tsx --conditions=react-server scripts/bench-relay.ts  (server-only modules)
 */
import { fork } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import nodemailer from "nodemailer";
import { serverNodeFlags } from "./server-node-flags.mjs";

const LATENCY_MS = 50;
const CLIENTS = 10;
const MESSAGES = Number(process.env.BENCH_MESSAGES || 200);

const CHILD = process.argv.includes("--relay-process");
const dataDir = CHILD ? process.env.DATA_DIR! : mkdtempSync(path.join(os.tmpdir(), "mc-bench-relay-"));
process.env.DATA_DIR = dataDir;
delete process.env.DATABASE_URL;
delete process.env.APP_ENCRYPTION_KEY;

type FromRelay = { port: number; cert: string } | { sessionsOpened: number };

/** The relay process: the runtime on a free port, forwarding to the sandbox; answers "stats" with its counters. */
async function relayProcess() {
  const { readFileSync } = await import("node:fs");
  const { setMsalTrustedCa } = await import("@/lib/microsoft/network-client");
  const ca = readFileSync(process.env.BENCH_SANDBOX_CA!, "utf8");
  setMsalTrustedCa(ca);
  const { loadOrCreateCertificate } = await import("@/lib/runtime/tls-certificate");
  const { startRelayRuntime } = await import("@/lib/relay/relay-runtime");
  const tls = await loadOrCreateCertificate();
  const runtime = startRelayRuntime({
    key: tls.key,
    cert: tls.cert,
    port: 0,
    host: "127.0.0.1",
    upstream: { tls: { ca } },
    // Exchange's 30 a minute would refuse most of the 200: not what is measured
    limits: { messagesPerMinute: Number.MAX_SAFE_INTEGER as 30 },
  });
  await runtime.sync();
  process.send!({ port: runtime.port() ?? 0, cert: tls.cert } satisfies FromRelay);
  process.on("message", (m) => {
    if (m === "stats")
      void runtime
        .upstreamPool()
        .then((pool) => process.send!({ sessionsOpened: pool.stats.sessionsOpened } satisfies FromRelay));
    if (m === "stop") void runtime.stop().then(() => process.exit(0));
  });
}

type Transport = ReturnType<typeof nodemailer.createTransport>;
type RunResult = { ms: number; latencies: number[]; failures: string[] };

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};

/** `CLIENTS` sessions, each sending its share of `MESSAGES` one after another. */
async function run(makeClient: () => Transport, to: string): Promise<RunResult> {
  const latencies: number[] = [];
  const failures: string[] = [];
  const clients = Array.from({ length: CLIENTS }, makeClient);
  const started = performance.now();
  await Promise.all(
    clients.map(async (client, c) => {
      for (let i = c; i < MESSAGES; i += CLIENTS) {
        try {
          const info = (await client.sendMail({
            from: "mailer@contoso.test",
            to,
            subject: `bench ${i}`,
            text: `message ${i}: a short notification as the product sends them.`,
          })) as { envelopeTime?: number; messageTime?: number };
          latencies.push((info.envelopeTime ?? 0) + (info.messageTime ?? 0));
        } catch (error) {
          failures.push(error instanceof Error ? error.message : String(error));
        }
      }
    }),
  );
  const ms = performance.now() - started;
  for (const c of clients) c.close();
  return { ms, latencies, failures };
}

function report(label: string, r: RunResult): number {
  const perSecond = (r.latencies.length / r.ms) * 1000;
  console.log(
    `${label.padEnd(7)} ${r.latencies.length}/${MESSAGES} sent in ${Math.round(r.ms)} ms: ${perSecond.toFixed(1)} msg/s, ` +
      `p50 ${pct(r.latencies, 50)} ms, p95 ${pct(r.latencies, 95)} ms` +
      (r.failures.length ? ` — ${r.failures.length} FAILED (${r.failures[0]})` : ""),
  );
  return perSecond;
}

async function main() {
  const { applyMigrations } = await import("@/lib/db/migrate");
  const { databaseUrl } = await import("@/lib/db/database-url");
  await applyMigrations(databaseUrl());
  const { ADMIN, authorizeAs, configure, startTestSandbox } = await import("../test/support/sandbox-oauth");
  const { SEED_USERS } = await import("@mail-connect/m365-sandbox");
  const { createRelayCredential } = await import("../test/support/relay-stack");
  const { setRelayEnabled } = await import("@/lib/relay/relay-repository");
  const { acquireMailToken } = await import("@/lib/microsoft/mail-token");

  const sandbox = await startTestSandbox();
  const control = sandbox.control;
  await configure(sandbox);
  await authorizeAs(sandbox, "smtp", SEED_USERS.mailer);
  await setRelayEnabled(true, ADMIN.email);
  const { secret } = await createRelayCredential("bench");
  const { db } = await import("@/lib/db/client");
  await db.relayCredential.update({ where: { name: "bench" }, data: { ratePerMinute: 1_000_000 } });

  const caFile = path.join(dataDir, "sandbox-ca.pem");
  writeFileSync(caFile, sandbox.caCert);
  const child = fork(process.argv[1]!, ["--relay-process"], {
    // The relay runs in the server process: with the flags of its `npm start`.
    execArgv: [...process.execArgv, ...serverNodeFlags()],
    env: { ...process.env, DATA_DIR: dataDir, BENCH_SANDBOX_CA: caFile },
  });
  const next = () => new Promise<FromRelay>((resolve) => child.once("message", (m) => resolve(m as FromRelay)));
  const started = await next();
  if (!("port" in started) || !started.port) throw new Error("the relay did not start");
  const relay = started;
  const sessionsOpened = async () => {
    child.send("stats");
    const m = await next();
    return "sessionsOpened" in m ? m.sessionsOpened : 0;
  };

  const relayClient = () =>
    nodemailer.createTransport({
      host: "127.0.0.1",
      port: relay.port,
      requireTLS: true,
      tls: { ca: relay.cert, servername: "localhost" },
      auth: { user: "bench", pass: secret },
      pool: true,
      maxConnections: 1,
      maxMessages: Number.POSITIVE_INFINITY,
    });
  const token = await acquireMailToken("smtp");
  const directClient = () =>
    nodemailer.createTransport({
      host: sandbox.smtp.host,
      port: sandbox.smtp.port,
      requireTLS: true,
      tls: { ca: sandbox.caCert },
      auth: { type: "OAuth2", user: "mailer@contoso.test", accessToken: token.accessToken },
      pool: true,
      maxConnections: 1,
      maxMessages: Number.POSITIVE_INFINITY,
    });

  await control.setLatency({ http: LATENCY_MS, smtp: LATENCY_MS, imap: 0 });
  // warm-up: the relay's upstream sessions and the token cache
  await run(relayClient, ADMIN.email);
  await control.clearTokenCalls();
  const sessionsBefore = await sessionsOpened();

  const relayed = await run(relayClient, ADMIN.email);
  const tokenCalls = (await control.tokenCalls()).length;
  const sessionsAll = await sessionsOpened();
  const sessions = sessionsAll - sessionsBefore;
  const direct = await run(directClient, ADMIN.email);

  console.log(
    `SMTP relay benchmark: ${MESSAGES} messages, ${CLIENTS} concurrent clients, +${LATENCY_MS} ms per server reply`,
  );
  const relayRate = report("relay", relayed);
  const directRate = report("direct", direct);
  console.log(`token-endpoint calls (warm relay run): ${tokenCalls}`);
  console.log(
    `upstream sessions opened: ${sessions} during the measured run, ${sessionsAll} in all (warm-up included)`,
  );
  console.log(`throughput ratio: ${(relayRate / directRate).toFixed(2)}`);
  console.log(`added p95: ${pct(relayed.latencies, 95) - pct(direct.latencies, 95)} ms`);

  child.send("stop");
  await new Promise((r) => child.once("exit", r));
  await sandbox.stop();
  await db.$disconnect();
  rmSync(dataDir, { recursive: true, force: true });
}

// the relay process lives until the benchmark tells it to stop
(CHILD ? relayProcess().then(() => new Promise<never>(() => undefined)) : main()).then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
