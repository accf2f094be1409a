import "server-only";
import type { AddressInfo } from "node:net";
import tls from "node:tls";
import { GatewaySession } from "@/lib/relay/imap/imap-session";
import type { UpstreamLoginOptions } from "@/lib/relay/imap/upstream-login";
import { logger } from "@/lib/log/logger";

const log = logger("relay");

/**
 * The IMAP gateway's listener: IMAPS (TLS from the first byte, the app's certificate, TLS 1.2 or
 * newer). On close it stops accepting, says goodbye to clients that have not logged in, lets relayed
 * sessions finish for up to `closeTimeoutMs` (30 s) and then closes the rest — their clients reconnect.
 */

export type ImapGatewayOptions = {
  port: number;
  host: string;
  key: string;
  cert: string;
  upstream?: UpstreamLoginOptions;
  /** A client silent this long before login is dropped (default 60 s). */
  preAuthTimeoutMs?: number;
  /** On close, relayed sessions get this long to finish (default 30 s). */
  closeTimeoutMs?: number;
};

export type RunningImapGateway = { port: number; sessions: () => number; close: () => Promise<void> };

export function startImapGateway(options: ImapGatewayOptions): Promise<RunningImapGateway> {
  const sessions = new Set<GatewaySession>();
  const server = tls.createServer({ key: options.key, cert: options.cert, minVersion: "TLSv1.2" }, (socket) => {
    const session = new GatewaySession(socket, {
      upstream: options.upstream ?? {},
      preAuthTimeoutMs: options.preAuthTimeoutMs ?? 60_000,
    });
    sessions.add(session);
    void session.closed().then(() => sessions.delete(session));
  });
  server.on("tlsClientError", (error) => {
    // one client's failed handshake is not the listener's
    log.warn({ error: error.message }, "IMAP gateway: TLS handshake failed");
  });

  const close = async () => {
    const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const s of sessions) s.closeIfIdle();
    const all = Promise.all([...sessions].map((s) => s.closed()));
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<"late">((resolve) => {
      timer = setTimeout(() => resolve("late"), options.closeTimeoutMs ?? 30_000);
    });
    if ((await Promise.race([all, late])) === "late") {
      log.warn({ sessions: sessions.size }, "IMAP gateway: closing sessions still open after the drain time");
      for (const s of sessions) s.destroy();
    }
    clearTimeout(timer);
    await stopped;
  };

  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once("error", onError);
    server.listen(options.port, options.host, () => {
      server.off("error", onError);
      server.on("error", (error) => log.error({ error: error.message }, "IMAP gateway listener error"));
      resolve({ port: (server.address() as AddressInfo).port, sessions: () => sessions.size, close });
    });
  });
}
