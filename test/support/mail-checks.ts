/**
 * Vitest helpers for Test Email Configuration against the sandbox in this process: a database,
 * saved settings pointing at the sandbox, authorized Microsoft connections (through the real
 * Authorize → sandbox sign-in → callback flow), and the run itself with the sandbox CA trusted.
 */
import net from "node:net";
import { afterAll, beforeAll } from "vitest";
import { applyMigrations } from "@/lib/db/migrate";
import { databaseUrl } from "@/lib/db/database-url";
import { ADMIN, authorizeAs, configure, startTestSandbox, type SettingsOverrides } from "./sandbox-oauth";
import { SEED_USERS } from "@mail-connect/m365-sandbox";
import type { RunningSandbox } from "@mail-connect/m365-sandbox";
import type { CheckCard } from "@/lib/mail/client-safe/types";
import type { RunEmailChecksInput } from "@/lib/mail/check-runner";

export { ADMIN, authorizeAs };

export async function startMailTestStack(overrides: SettingsOverrides = {}): Promise<RunningSandbox> {
  await applyMigrations(databaseUrl());
  const sandbox = await startTestSandbox();
  await configure(sandbox, overrides);
  return sandbox;
}

let runCounter = 0;

/**
 * The hooks of a test file that needs the whole chain connected: the stack started, SMTP authorized
 * as mailer@ and IMAP as approvals@ through the real flow, stopped at the end.
 */
export function useConnectedMailStack(onStart: (sandbox: RunningSandbox) => void): void {
  let sandbox: RunningSandbox | undefined;
  beforeAll(async () => {
    sandbox = await startMailTestStack();
    await authorizeAs(sandbox, "smtp", SEED_USERS.mailer);
    await authorizeAs(sandbox, "imap", SEED_USERS.approvals);
    onStart(sandbox);
  });
  afterAll(async () => {
    await sandbox?.stop();
  });
}

/** Runs the checks on the saved settings (optionally changed in memory), trusting the sandbox CA. */
export async function runChecks(
  sandbox: RunningSandbox,
  options: {
    change?: Record<string, unknown>;
    admin?: { email: string; name?: string };
    trustSandbox?: boolean;
  } & Partial<Pick<RunEmailChecksInput, "acquireToken" | "mode">> = {},
) {
  const { getEmailSettings } = await import("@/lib/settings/email-repository");
  const { runEmailChecks } = await import("@/lib/mail/check-runner");
  const settings = { ...(await getEmailSettings()), ...(options.change ?? {}) };
  const runId = `t${(++runCounter).toString().padStart(3, "0")}${Math.random().toString(16).slice(2, 6)}`;
  const result = await runEmailChecks({
    settings,
    admin: options.admin ?? ADMIN,
    runId,
    serverBaseUrl: "https://localhost:3000",
    tls: options.trustSandbox === false ? undefined : { ca: sandbox.caCert },
    acquireToken: options.acquireToken,
    mode: options.mode,
  });
  const card = (id: CheckCard["id"]) => {
    const c = result.cards.find((x) => x.id === id);
    if (!c) throw new Error(`no ${id} card in ${result.cards.map((x) => x.id).join(", ")}`);
    return c;
  };
  return { ...result, runId, card };
}

/** A TCP server that accepts connections and never says a word. */
export async function blackHole(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on("error", () => undefined);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** A port on which nothing listens (bound, then closed). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}
