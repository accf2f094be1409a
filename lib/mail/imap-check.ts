import tls from "node:tls";
import type net from "node:net";
import { ImapFlow, type ImapTransport, type ImapTransportSocket } from "imapflow";
import {
  describeTls,
  handshake,
  openTcp,
  overallDeadline,
  PhaseClock,
  TimeoutError,
  tlsOptions,
  type TlsExtras,
} from "@/lib/mail/connection";
import { diagnoseImap, diagnoseStartTlsUnavailable, type MailFailure } from "@/lib/mail/diagnose";
import { redact, redactLines } from "@/lib/mail/redact";
import type { MailCheckResult } from "@/lib/mail/smtp-check";

/**
 * IMAP check: connect (TLS), AUTHENTICATE XOAUTH2 (or LOGIN with a password) as the Approval Reply
 * Address, then SELECT INBOX and count messages. The SELECT is the point: Exchange Online accepts
 * AUTHENTICATE with another user's token and fails only at the next command with
 * `BAD User is authenticated but not connected.`
 */

export type ImapAuth =
  | { kind: "xoauth2"; user: string; accessToken: string /** who signed in to Microsoft */; account?: string | null }
  | { kind: "password"; user: string; pass: string };

export type ImapCheckInput = {
  host: string;
  port: number;
  security: "tls" | "starttls" | "none";
  /** The credentials, or a promise of them (TCP and TLS are set up meanwhile); null ends the check without a result. */
  auth: ImapAuth | Promise<ImapAuth | null>;
  /** The Approval Reply Address (for diagnoses before the credentials are known). */
  mailbox?: string;
  connectTimeoutMs: number;
  overallTimeoutMs: number;
  tls?: TlsExtras;
};

type LogEntry = { src?: string; msg?: string; err?: { message?: string } };

class NoCredentials extends Error {}

export async function runImapCheck(input: ImapCheckInput): Promise<MailCheckResult | null> {
  const clock = new PhaseClock();
  const transcript: string[] = [];
  const secrets: Array<string | null> = [];
  let auth: ImapAuth | null = input.auth instanceof Promise ? null : input.auth;
  const remember = (a: ImapAuth) => secrets.push(a.kind === "xoauth2" ? a.accessToken : a.pass);
  if (auth) remember(auth);
  const target = { host: input.host, port: input.port };
  let client: ImapFlow | null = null;
  let socket: net.Socket | null = null;
  let startTlsMissing = false;
  let authenticated = false;
  const deadline = overallDeadline(input.overallTimeoutMs, () => {
    client?.close();
    socket?.destroy();
  });

  const record = (entry: LogEntry) => {
    if (entry.src === "s" && entry.msg) transcript.push(`S: ${entry.msg}`);
    else if (entry.src === "c" && entry.msg) {
      transcript.push(`C: ${entry.msg}`);
      if (/^\S+ (AUTHENTICATE|LOGIN)\b/i.test(entry.msg)) {
        clock.begin("authenticate", auth?.kind === "xoauth2" ? `XOAUTH2 as ${auth.user}` : `LOGIN as ${auth?.user}`);
      }
    } else if (entry.src === "auth" && /authenticated/i.test(entry.msg ?? "")) {
      authenticated = true;
      clock.begin("SELECT INBOX");
    } else if (entry.msg && /STARTTLS/.test(entry.msg) && /not support|can not start/i.test(entry.msg)) {
      startTlsMissing = true;
    }
  };
  const logger = { debug: record, info: record, warn: record, error: record, trace: () => undefined, fatal: record };

  const run = async (): Promise<{ exists: number; unseen: number; response: string | null; user: string }> => {
    clock.begin("DNS + connect", `${input.host}:${input.port}`);
    const tcp = await openTcp(target, input.connectTimeoutMs);
    socket = tcp.socket;
    clock.note(`connected to ${tcp.address}`);
    let ready: net.Socket | tls.TLSSocket = tcp.socket;
    if (input.security === "tls") {
      clock.begin("TLS", "implicit TLS");
      const secure = await handshake(tcp.socket, target, input.tls, input.connectTimeoutMs);
      clock.note(describeTls(secure));
      ready = secure;
    }
    if (!auth) {
      clock.begin("token wait", "connection ready before the Microsoft token");
      auth = await input.auth;
      if (!auth) throw new NoCredentials();
      remember(auth);
    }
    const a = auth;
    // The transport hands ImapFlow the connection opened above, and does the STARTTLS upgrade.
    const transport: ImapTransport = {
      connect: (_options, onConnect) => {
        setImmediate(onConnect);
        return ready as unknown as ImapTransportSocket;
      },
      upgrade: (plain, _options, onSecure) => {
        clock.begin("TLS", "STARTTLS");
        const secure = tls.connect({ ...tlsOptions(target, input.tls), socket: plain as unknown as net.Socket }, () => {
          clock.note(describeTls(secure));
          onSecure();
        });
        return secure as unknown as ImapTransportSocket;
      },
    };
    client = new ImapFlow({
      host: input.host,
      port: input.port,
      secure: input.security === "tls",
      doSTARTTLS: input.security === "starttls" ? true : input.security === "none" ? false : undefined,
      transport,
      auth: a.kind === "xoauth2" ? { user: a.user, accessToken: a.accessToken } : { user: a.user, pass: a.pass },
      logger,
      connectionTimeout: input.connectTimeoutMs,
      greetingTimeout: input.connectTimeoutMs,
      socketTimeout: input.overallTimeoutMs,
      disableAutoIdle: true,
      disableCompression: true,
      disableAutoEnable: true,
      clientInfo: { name: "Mail Connect", vendor: "Mail Connect" },
    });
    const c = client;
    c.on("error", () => undefined); // reported through the rejected promises below
    await c.connect();
    if (!authenticated) clock.begin("SELECT INBOX");
    const mailbox = await c.mailboxOpen("INBOX");
    const selectReply =
      [...transcript]
        .reverse()
        .find((l) => /^S: \S+ OK\b/.test(l))
        ?.slice(3) ?? null;
    const unseen = await c.search({ seen: false }, { uid: true });
    clock.end(true);
    c.logout().catch(() => undefined);
    return {
      exists: mailbox.exists,
      unseen: Array.isArray(unseen) ? unseen.length : 0,
      response: selectReply,
      user: a.user,
    };
  };

  try {
    const result = await Promise.race([run(), deadline.promise]);
    return {
      ok: true,
      ms: clock.elapsed(),
      phases: clock.phases.filter((ph) => ph.name !== "token wait" || ph.ms > 0),
      summary: `Signed in to ${input.host}:${input.port} as ${result.user} and opened INBOX: ${result.exists} message${result.exists === 1 ? "" : "s"}, ${result.unseen} unseen.`,
      serverResponse: result.response ? redact(result.response, secrets) : null,
      hint: null,
      transcript: redactLines(transcript, secrets),
      facts: { mailbox: result.user, messages: result.exists, unseen: result.unseen },
    };
  } catch (error) {
    if (error instanceof NoCredentials) return null;
    const err = error as Error & { code?: string; response?: string; responseText?: string; tlsFailed?: boolean };
    const failedPhase = clock.currentPhase ?? "DNS + connect";
    clock.end(false);
    let timeout: MailFailure["timeout"];
    if (error instanceof TimeoutError) timeout = error.kind;
    else if (err.code === "CONNECT_TIMEOUT") timeout = "connect";
    else if (err.code === "GREETING_TIMEOUT" || err.code === "UPGRADE_TIMEOUT") timeout = "greeting";
    if (err.tlsFailed && /STARTTLS/i.test(err.message) && /not support|can not start/i.test(err.message))
      startTlsMissing = true;
    const lastServerLine =
      [...transcript]
        .reverse()
        .find((l) => l.startsWith("S: "))
        ?.slice(3) ?? null;
    const failure: MailFailure = {
      code: err.code,
      message: err.message,
      response: err.response ?? err.responseText ?? lastServerLine,
      phase: failedPhase,
      timeout,
    };
    const ctx = {
      protocol: "imap" as const,
      host: input.host,
      port: input.port,
      security: input.security,
      authType: !auth || auth.kind === "xoauth2" ? ("microsoft" as const) : ("password" as const),
      mailbox: auth?.user ?? input.mailbox ?? "",
      tokenAccount: auth?.kind === "xoauth2" ? (auth.account ?? null) : null,
      connectTimeoutMs: input.connectTimeoutMs,
      overallTimeoutMs: input.overallTimeoutMs,
    };
    const diagnosis = startTlsMissing ? diagnoseStartTlsUnavailable(ctx) : diagnoseImap(failure, ctx);
    return {
      ok: false,
      ms: clock.elapsed(),
      phases: clock.phases.filter((ph) => ph.name !== "token wait" || ph.ms > 0),
      summary: diagnosis.summary,
      serverResponse: redact(
        lastServerLine && failedPhase !== "DNS + connect"
          ? lastServerLine
          : `${err.code ? `${err.code}: ` : ""}${err.message}`,
        secrets,
      ),
      hint: diagnosis.hint,
      links: diagnosis.links,
      ...(diagnosis.reauthorize ? { reauthorize: "imap" as const } : {}),
      transcript: redactLines(transcript, secrets),
    };
  } finally {
    deadline.clear();
    const c = client as ImapFlow | null;
    if (c) setTimeout(() => c.close(), 1000).unref();
    else (socket as net.Socket | null)?.destroy();
  }
}
