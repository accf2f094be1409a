import { format } from "node:util";
import type net from "node:net";
import type tls from "node:tls";
import SMTPConnection from "nodemailer/lib/smtp-connection";
import XOAuth2 from "nodemailer/lib/xoauth2";
import MailComposer from "nodemailer/lib/mail-composer";
import {
  describeTls,
  handshake,
  openTcp,
  overallDeadline,
  PhaseClock,
  TimeoutError,
  tlsCodeFromMessage,
  tlsOptions,
  type TlsExtras,
} from "@/lib/mail/connection";
import { diagnoseSmtp, diagnoseStartTlsUnavailable, type Diagnosis, type MailFailure } from "@/lib/mail/diagnose";
import { redact, redactLines } from "@/lib/mail/redact";
import type { CheckCard } from "@/lib/mail/types";

/**
 * SMTP check: connect, STARTTLS/TLS, AUTH (XOAUTH2 or password), send one test message. Built on
 * nodemailer's SMTPConnection over a socket this module opens itself, so each phase is timed and
 * a failure keeps its exact cause (DNS, refused, certificate, server reply).
 */

export type SmtpAuth =
  | { kind: "xoauth2"; user: string; accessToken: string /** who signed in to Microsoft */; account?: string | null }
  | { kind: "password"; user: string; pass: string }
  | { kind: "none" };

export type SmtpCheckInput = {
  host: string;
  port: number;
  security: "starttls" | "tls" | "none";
  /**
   * The credentials, or a promise of them: the connection (DNS, TCP, greeting, STARTTLS) is set up
   * while a Microsoft token is still being fetched. A promise resolving to null (no token) ends the
   * check without a result.
   */
  auth: SmtpAuth | Promise<SmtpAuth | null>;
  from: string;
  to: string;
  subject: string;
  text: string;
  connectTimeoutMs: number;
  overallTimeoutMs: number;
  tls?: TlsExtras;
  /** The mailbox named in AUTH (for diagnoses before the credentials are known). */
  mailbox?: string;
  /** EHLO name; default: this machine's host name. */
  clientName?: string;
};

export type MailCheckResult = Omit<CheckCard, "id" | "name" | "status">;

type Logged = { at: number; line: string };

function captureLogger(log: Logged[], onEntry: (entry: Logged) => void) {
  const write = (data: Record<string, unknown> | undefined, message?: string, ...args: unknown[]) => {
    const tnx = data && typeof data.tnx === "string" ? data.tnx : "";
    const text = message === undefined ? "" : format(message, ...args);
    const line = tnx === "server" ? `S: ${text}` : tnx === "client" ? `C: ${text}` : `* ${text}`;
    const entry = { at: performance.now(), line };
    log.push(entry);
    onEntry(entry);
  };
  return { trace: write, debug: write, info: write, warn: write, error: write, fatal: write };
}

function smtpAuthType(auth: SmtpAuth): "microsoft" | "password" | "none" {
  return auth.kind === "xoauth2" ? "microsoft" : auth.kind;
}

class NoCredentials extends Error {}

export async function runSmtpCheck(input: SmtpCheckInput): Promise<MailCheckResult | null> {
  const clock = new PhaseClock();
  const log: Logged[] = [];
  const secrets: Array<string | null> = [];
  let auth: SmtpAuth | null = input.auth instanceof Promise ? null : input.auth;
  const remember = (a: SmtpAuth) =>
    secrets.push(a.kind === "xoauth2" ? a.accessToken : a.kind === "password" ? a.pass : null);
  if (auth) remember(auth);
  const target = { host: input.host, port: input.port };
  let conn: SMTPConnection | null = null;
  let socket: net.Socket | null = null;
  let timeoutKind: "connect" | "greeting" | "overall" | undefined;
  let startTlsRefused = false;
  const deadline = overallDeadline(input.overallTimeoutMs, () => {
    conn?.close();
    socket?.destroy();
  });

  const run = async (): Promise<{ response: string; messageId: string; accepted: string[] }> => {
    clock.begin("DNS + connect", `${input.host}:${input.port}`);
    const tcp = await openTcp(target, input.connectTimeoutMs);
    socket = tcp.socket;
    clock.note(`connected to ${tcp.address}`);
    let connection: net.Socket = tcp.socket;
    if (input.security === "tls") {
      clock.begin("TLS", "implicit TLS");
      const secure = await handshake(tcp.socket, target, input.tls, input.connectTimeoutMs);
      clock.note(describeTls(secure));
      connection = secure;
    }

    let greeted = false;
    conn = new SMTPConnection({
      connection,
      host: input.host,
      port: input.port,
      secure: input.security === "tls",
      secured: input.security === "tls",
      requireTLS: input.security === "starttls",
      ignoreTLS: input.security === "none",
      opportunisticTLS: false,
      tls: tlsOptions(target, input.tls),
      name: input.clientName,
      connectionTimeout: input.connectTimeoutMs,
      greetingTimeout: input.connectTimeoutMs,
      socketTimeout: input.overallTimeoutMs,
      socketCloseTimeout: 500,
      logger: captureLogger(log, (entry) => {
        // the greeting ends "DNS + connect"; with STARTTLS the TLS phase starts there
        if (!greeted && entry.line.startsWith("S: ")) {
          greeted = true;
          if (input.security === "starttls") clock.begin("TLS", "STARTTLS");
        }
      }) as never,
      transactionLog: true,
    });
    const c = conn;

    await new Promise<void>((resolve, reject) => {
      c.once("error", reject);
      c.connect((err) => (err ? reject(err) : resolve()));
    }).catch((err: Error & { code?: string; command?: string; response?: string }) => {
      if (err.code === "ETLS" && err.command === "STARTTLS" && err.response) startTlsRefused = true;
      throw err;
    });
    c.on("error", () => undefined); // later errors arrive through the callbacks

    if (input.security === "starttls" && !c.secure) startTlsRefused = true;
    const upgraded = c._socket;
    if (input.security === "starttls" && upgraded && "getCipher" in upgraded)
      clock.note(describeTls(upgraded as tls.TLSSocket));
    if (startTlsRefused) throw Object.assign(new Error("STARTTLS unavailable"), { code: "ENOSTARTTLS" });

    if (!auth) {
      clock.begin("token wait", "connection ready before the Microsoft token");
      auth = await input.auth;
      if (!auth) throw new NoCredentials();
      remember(auth);
    }
    const a = auth;
    if (a.kind !== "none") {
      clock.begin("authenticate", a.kind === "xoauth2" ? `XOAUTH2 as ${a.user}` : `password as ${a.user}`);
      const authData =
        a.kind === "xoauth2"
          ? { method: "XOAUTH2", user: a.user, oauth2: new XOAuth2({ user: a.user, accessToken: a.accessToken }) }
          : { user: a.user, pass: a.pass };
      await new Promise<void>((resolve, reject) => c.login(authData, (err) => (err ? reject(err) : resolve())));
    }

    clock.begin("send", `from ${input.from} to ${input.to}`);
    const composer = new MailComposer({
      from: input.from,
      to: input.to,
      subject: input.subject,
      text: input.text,
      headers: { "X-Mail-Connect-Test": "1", "Auto-Submitted": "auto-generated" },
    });
    const node = composer.compile();
    const raw = await node.build();
    const info = await new Promise<SMTPConnection.SentMessageInfo>((resolve, reject) =>
      c.send({ from: input.from, to: [input.to] }, raw, (err, sent) =>
        err || !sent ? reject(err ?? new Error("no result")) : resolve(sent),
      ),
    );
    clock.end(true);
    try {
      c.quit();
    } catch {
      // the message is sent; a failing QUIT changes nothing
    }
    return { response: info.response, messageId: info.serverMessageId ?? node.messageId(), accepted: info.accepted };
  };

  try {
    const sent = await Promise.race([run(), deadline.promise]);
    return {
      ok: true,
      ms: clock.elapsed(),
      phases: clock.phases.filter((ph) => ph.name !== "token wait" || ph.ms > 0),
      summary: `Sent a test message from ${input.from} to ${input.to} through ${input.host}:${input.port}. Check that inbox.`,
      serverResponse: redact(sent.response, secrets),
      hint: null,
      transcript: redactLines(
        log.map((l) => l.line),
        secrets,
      ),
      facts: { from: input.from, to: input.to, subject: input.subject, "message id": sent.messageId },
    };
  } catch (error) {
    if (error instanceof NoCredentials) return null;
    const err = error as Error & { code?: string; response?: string; command?: string };
    const failedPhase = clock.currentPhase ?? "DNS + connect";
    clock.end(false);
    if (error instanceof TimeoutError) timeoutKind = error.kind;
    else if (err.code === "ETIMEDOUT")
      timeoutKind = /greeting/i.test(err.message) || failedPhase !== "DNS + connect" ? "greeting" : "connect";
    if (timeoutKind === "connect" && failedPhase === "DNS + connect" && log.length > 0) timeoutKind = "greeting";
    const failure: MailFailure = {
      code: err.code === "ETLS" || err.code === "ESOCKET" ? (tlsCodeFromMessage(err.message) ?? err.code) : err.code,
      message: err.message,
      response: err.response ?? null,
      phase: failedPhase,
      timeout: timeoutKind,
    };
    const ctx = {
      protocol: "smtp" as const,
      host: input.host,
      port: input.port,
      security: input.security,
      authType: auth ? smtpAuthType(auth) : "microsoft",
      mailbox: auth && auth.kind !== "none" ? auth.user : (input.mailbox ?? input.from),
      from: input.from,
      tokenAccount: auth?.kind === "xoauth2" ? (auth.account ?? null) : null,
      connectTimeoutMs: input.connectTimeoutMs,
      overallTimeoutMs: input.overallTimeoutMs,
    };
    const diagnosis: Diagnosis = startTlsRefused ? diagnoseStartTlsUnavailable(ctx) : diagnoseSmtp(failure, ctx);
    const lastServerLine =
      [...log]
        .reverse()
        .find((l) => l.line.startsWith("S: "))
        ?.line.slice(3) ?? null;
    return {
      ok: false,
      ms: clock.elapsed(),
      phases: clock.phases.filter((ph) => ph.name !== "token wait" || ph.ms > 0),
      summary: diagnosis.summary,
      serverResponse: redact(
        err.response ?? lastServerLine ?? `${err.code ? `${err.code}: ` : ""}${err.message}`,
        secrets,
      ),
      hint: diagnosis.hint,
      links: diagnosis.links,
      ...(diagnosis.reauthorize ? { reauthorize: "smtp" as const } : {}),
      transcript: redactLines(
        log.map((l) => l.line),
        secrets,
      ),
    };
  } finally {
    deadline.clear();
    const c = conn as SMTPConnection | null;
    if (c) setTimeout(() => c.close(), 1000).unref();
    else (socket as net.Socket | null)?.destroy();
  }
}
