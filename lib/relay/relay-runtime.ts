import "server-only";
import { RELAY_DEFAULTS, RELAY_POLL_MS } from "@/lib/relay/client-safe/limits";
import { flushActivity } from "@/lib/relay/activity-log";
import { pruneCounters } from "@/lib/relay/counters";
import { getRelayState } from "@/lib/relay/relay-repository";
import type { RunningSmtpRelay, SmtpRelayOptions } from "@/lib/relay/smtp-listener";
import type { UpstreamOptions, UpstreamPool } from "@/lib/relay/upstream";
import { IMAP_GATEWAY_DEFAULTS } from "@/lib/relay/client-safe/imap-schema";
import { getImapEnabled } from "@/lib/relay/imap/imap-repository";
import type { RunningImapGateway } from "@/lib/relay/imap/imap-listener";
import type { UpstreamLoginOptions } from "@/lib/relay/imap/upstream-login";
import { errorText, logger } from "@/lib/log/logger";

const log = logger("relay");

/**
 * The relay inside the server process: started by lib/runtime/on-server-start.ts (the Next.js server
 * runtime's start, after the migrations), outside any request. Every instance reads the Relay page's on/off switch from the database every few
 * seconds (POLL_MS) and starts or stops its listener to match; `stop` (SIGTERM) stops accepting and
 * lets sessions in flight finish, up to 30 s. The listeners and the upstream sessions (smtp-server,
 * nodemailer, the token and mail stack) are loaded when a listener is first enabled: a server whose relay
 * is off polls the switch and holds none of them.
 */

export type RelayRuntimeOptions = {
  key: string;
  cert: string;
  /** Default RELAY_SMTP_PORT or 2525. */
  port?: number;
  /** Default RELAY_HOST or 127.0.0.1. */
  host?: string;
  pollMs?: number;
  upstream?: UpstreamOptions;
  socketTimeoutMs?: number;
  closeTimeoutMs?: number;
  limits?: SmtpRelayOptions["limits"];
  /** The IMAP gateway (lib/relay/imap): default RELAY_IMAP_PORT or 1993. */
  imapPort?: number;
  /** Its sign-in to Microsoft (default: the IMAP role's token; TLS extras from `upstream.tls`). */
  imapUpstream?: UpstreamLoginOptions;
  imapPreAuthTimeoutMs?: number;
  /** Told each start and stop (tests, the server log). */
  onChange?: (state: { listening: boolean; port: number | null }) => void;
};

export type RelayRuntime = {
  /** Reads the switch now (the page calls nothing: every instance polls). */
  sync: () => Promise<void>;
  port: () => number | null;
  /** The IMAP gateway's port while it listens. */
  imapPort: () => number | null;
  /** The sessions to Microsoft (created, with the modules they need, on first use). */
  upstreamPool: () => Promise<UpstreamPool>;
  stop: () => Promise<void>;
};

export function relayPort(): number {
  const v = Number(process.env.RELAY_SMTP_PORT);
  return Number.isInteger(v) && v >= 0 && v <= 65535 && process.env.RELAY_SMTP_PORT ? v : RELAY_DEFAULTS.port;
}

export function imapGatewayPort(): number {
  const v = Number(process.env.RELAY_IMAP_PORT);
  return Number.isInteger(v) && v >= 0 && v <= 65535 && process.env.RELAY_IMAP_PORT ? v : IMAP_GATEWAY_DEFAULTS.port;
}

export function relayHost(): string {
  return process.env.RELAY_HOST || RELAY_DEFAULTS.host;
}

export function startRelayRuntime(options: RelayRuntimeOptions): RelayRuntime {
  const port = options.port ?? relayPort();
  const host = options.host ?? relayHost();
  let pool: Promise<UpstreamPool> | null = null;
  const upstreamPool = () => {
    pool ??= import("@/lib/relay/upstream").then(({ UpstreamPool }) => new UpstreamPool(options.upstream));
    return pool;
  };
  let listener: RunningSmtpRelay | null = null;
  let listenerSize = 0;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let lastError: string | null = null;
  const imapPort = options.imapPort ?? imapGatewayPort();
  let imap: RunningImapGateway | null = null;
  let imapError: string | null = null;

  const applyImap = async () => {
    const want = (await getImapEnabled()).enabled;
    if (imap && !want) {
      const closing = imap;
      imap = null;
      await closing.close();
      log.info("IMAP gateway stopped (disabled on the Relay page)");
    }
    if (want && !imap && !stopped) {
      try {
        const { startImapGateway } = await import("@/lib/relay/imap/imap-listener");
        imap = await startImapGateway({
          port: imapPort,
          host,
          key: options.key,
          cert: options.cert,
          upstream: { tls: options.upstream?.tls, ...options.imapUpstream },
          preAuthTimeoutMs: options.imapPreAuthTimeoutMs,
          closeTimeoutMs: options.closeTimeoutMs,
        });
        imapError = null;
        log.info({ host, port: imap.port }, "IMAP gateway listening (IMAPS, LOGIN <mailbox> <credential>)");
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (message !== imapError) log.error({ host, port: imapPort, error: message }, "IMAP gateway could not listen");
        imapError = message;
      }
    }
  };

  const apply = async () => {
    if (stopped) return;
    const state = await getRelayState();
    const want = state.smtpEnabled;
    if (listener && (!want || listenerSize !== state.maxMessageBytes)) {
      const closing = listener;
      listener = null;
      await closing.close();
      log.info("SMTP relay stopped (disabled on the Relay page)");
      options.onChange?.({ listening: false, port: null });
    }
    if (want && !listener && !stopped) {
      try {
        const [{ startSmtpRelay }, upstream] = await Promise.all([import("@/lib/relay/smtp-listener"), upstreamPool()]);
        listener = await startSmtpRelay({
          port,
          host,
          key: options.key,
          cert: options.cert,
          upstream,
          maxMessageBytes: state.maxMessageBytes,
          socketTimeoutMs: options.socketTimeoutMs,
          closeTimeoutMs: options.closeTimeoutMs,
          limits: options.limits,
        });
        listenerSize = state.maxMessageBytes;
        lastError = null;
        log.info({ host, port: listener.port }, "SMTP relay listening (STARTTLS, AUTH PLAIN/LOGIN)");
        options.onChange?.({ listening: true, port: listener.port });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (message !== lastError) log.error({ host, port, error: message }, "could not listen");
        lastError = message;
      }
    }
    await applyImap();
    await pruneCounters();
  };
  const sync = () => {
    running = running.then(apply).catch((error: unknown) => {
      log.error({ error: errorText(error) }, "could not read the relay settings");
    });
    return running;
  };
  const timer = setInterval(() => void sync(), options.pollMs ?? RELAY_POLL_MS);
  timer.unref();
  void sync();

  return {
    sync,
    port: () => listener?.port ?? null,
    imapPort: () => imap?.port ?? null,
    upstreamPool,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
      const closing = listener;
      listener = null;
      const closingImap = imap;
      imap = null;
      await Promise.all([closing?.close(), closingImap?.close()]);
      if (pool) (await pool).close();
      await flushActivity();
    },
  };
}
