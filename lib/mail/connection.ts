import { lookup } from "node:dns/promises";
import net from "node:net";
import tls from "node:tls";
import type { Phase, PhaseName } from "@/lib/mail/client-safe/types";

/**
 * What the SMTP and IMAP checks share: opening the TCP connection themselves (so "DNS + connect"
 * and "TLS" are timed apart and their errors keep their codes), a phase clock, and the TLS options
 * (an extra CA for tests against the sandbox; production trusts the system store and
 * NODE_EXTRA_CA_CERTS).
 */

export type TlsExtras = { ca?: string | string[] };

export type ConnectTarget = { host: string; port: number };

export class TimeoutError extends Error {
  constructor(
    message: string,
    readonly kind: "connect" | "greeting" | "overall",
  ) {
    super(message);
    this.name = "TimeoutError";
  }
}

export class PhaseClock {
  readonly phases: Phase[] = [];
  readonly started = performance.now();
  private current: { name: PhaseName; start: number; detail?: string } | null = null;

  /** `onBegin`: told each phase as it begins (live progress of Test Email Configuration). */
  constructor(private readonly onBegin?: (name: PhaseName) => void) {}

  get currentPhase(): PhaseName | null {
    return this.current?.name ?? null;
  }

  begin(name: PhaseName, detail?: string): void {
    this.end(true);
    this.current = { name, start: performance.now(), detail };
    this.onBegin?.(name);
  }

  /** Adds to the detail of the running phase. */
  note(detail: string): void {
    if (this.current) this.current.detail = this.current.detail ? `${this.current.detail}, ${detail}` : detail;
  }

  end(ok: boolean): void {
    if (!this.current) return;
    const { name, start, detail } = this.current;
    this.phases.push({ name, ms: Math.round(performance.now() - start), ok, ...(detail ? { detail } : {}) });
    this.current = null;
  }

  elapsed(): number {
    return Math.round(performance.now() - this.started);
  }
}

function withCode(error: unknown, fallback: string): Error & { code?: string } {
  const e: Error & { code?: string } = error instanceof Error ? error : new Error(String(error));
  if (!e.code) e.code = fallback;
  return e;
}

/** DNS lookup + TCP connect within `timeoutMs`. Rejects with the system error (ENOTFOUND, ECONNREFUSED) or a TimeoutError. */
export async function openTcp(
  target: ConnectTarget,
  timeoutMs: number,
): Promise<{ socket: net.Socket; address: string }> {
  const deadline = Date.now() + timeoutMs;
  let timer: NodeJS.Timeout | undefined;
  const timeout = (what: string) =>
    new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(new TimeoutError(`${what} ${target.host}:${target.port} timed out after ${timeoutMs} ms`, "connect")),
        Math.max(deadline - Date.now(), 1),
      );
    });
  const host = target.host.replace(/^\[(.*)\]$/, "$1");
  try {
    const address = net.isIP(host) ? host : (await Promise.race([lookup(host), timeout("DNS lookup of")])).address;
    clearTimeout(timer);
    const socket = net.connect({ host: address, port: target.port });
    try {
      await Promise.race([
        new Promise<void>((resolve, reject) => {
          socket.once("connect", resolve);
          socket.once("error", reject);
        }),
        timeout("Connecting to"),
      ]);
    } catch (error) {
      socket.destroy();
      throw error;
    }
    socket.removeAllListeners("error");
    return { socket, address };
  } catch (error) {
    throw error instanceof TimeoutError ? error : withCode(error, "ECONNECTION");
  } finally {
    clearTimeout(timer);
  }
}

export function tlsOptions(target: ConnectTarget, extras: TlsExtras | undefined): tls.ConnectionOptions {
  const host = target.host.replace(/^\[(.*)\]$/, "$1");
  return {
    ...(net.isIP(host) ? {} : { servername: host }),
    ...(extras?.ca ? { ca: extras.ca } : {}),
    minVersion: "TLSv1.2",
    rejectUnauthorized: true,
  };
}

/** Implicit TLS on an open socket: resolves once the handshake (and certificate check) is done. */
export function handshake(
  socket: net.Socket,
  target: ConnectTarget,
  extras: TlsExtras | undefined,
  timeoutMs: number,
): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const secure = tls.connect({ ...tlsOptions(target, extras), socket });
    const timer = setTimeout(() => {
      secure.destroy();
      reject(
        new TimeoutError(
          `TLS handshake with ${target.host}:${target.port} timed out after ${timeoutMs} ms`,
          "greeting",
        ),
      );
    }, timeoutMs);
    secure.once("secureConnect", () => {
      clearTimeout(timer);
      secure.removeAllListeners("error");
      resolve(secure);
    });
    secure.once("error", (error) => {
      clearTimeout(timer);
      secure.destroy();
      reject(withCode(error, "ETLS"));
    });
  });
}

/** "TLSv1.3 TLS_AES_256_GCM_SHA384" */
export function describeTls(socket: tls.TLSSocket): string {
  const cipher = socket.getCipher();
  return [socket.getProtocol(), cipher?.standardName ?? cipher?.name].filter(Boolean).join(" ");
}

/** Maps an OpenSSL message to its code when a library dropped the code (nodemailer's STARTTLS path does). */
export function tlsCodeFromMessage(message: string): string | undefined {
  const table: Array<[RegExp, string]> = [
    [/self[- ]signed certificate in certificate chain/i, "SELF_SIGNED_CERT_IN_CHAIN"],
    [/self[- ]signed certificate/i, "DEPTH_ZERO_SELF_SIGNED_CERT"],
    [/unable to verify the first certificate/i, "UNABLE_TO_VERIFY_LEAF_SIGNATURE"],
    [/unable to get local issuer certificate/i, "UNABLE_TO_GET_ISSUER_CERT_LOCALLY"],
    [/certificate has expired/i, "CERT_HAS_EXPIRED"],
    [/certificate is not yet valid/i, "CERT_NOT_YET_VALID"],
    [/does not match certificate's altnames|Hostname\/IP does not match/i, "ERR_TLS_CERT_ALTNAME_INVALID"],
  ];
  return table.find(([re]) => re.test(message))?.[1];
}

/** Rejects after `ms` with an overall TimeoutError; `onTimeout` tears the connection down. */
export function overallDeadline(ms: number, onTimeout: () => void): { promise: Promise<never>; clear: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(new TimeoutError(`did not finish within ${ms} ms`, "overall"));
    }, ms);
  });
  promise.catch(() => undefined);
  return { promise, clear: () => clearTimeout(timer) };
}

/**
 * "DNS + connect", then "TLS" when the security is implicit TLS: the first phases of every check.
 * The TCP socket is handed to `holder` as soon as it exists, so a deadline can tear it down.
 */
export async function openConnection(
  holder: { clock: PhaseClock; socket: net.Socket | null },
  input: ConnectTarget & { security: string; connectTimeoutMs: number; tls?: TlsExtras },
): Promise<net.Socket> {
  const target = { host: input.host, port: input.port };
  holder.clock.begin("DNS + connect", `${input.host}:${input.port}`);
  const tcp = await openTcp(target, input.connectTimeoutMs);
  holder.socket = tcp.socket;
  holder.clock.note(`connected to ${tcp.address}`);
  if (input.security !== "tls") return tcp.socket;
  holder.clock.begin("TLS", "implicit TLS");
  const secure = await handshake(tcp.socket, target, input.tls, input.connectTimeoutMs);
  holder.clock.note(describeTls(secure));
  return secure;
}
