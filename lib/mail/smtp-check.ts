import type tls from "node:tls";
import { format } from "node:util";
import MailComposer from "nodemailer/lib/mail-composer";
import SMTPConnection from "nodemailer/lib/smtp-connection";
import XOAuth2 from "nodemailer/lib/xoauth2";
import { describeTls, openConnection, tlsCodeFromMessage, tlsOptions } from "@/lib/mail/connection";
import type { MailAuth, MailCheckDriver, MailCheckInput } from "@/lib/mail/mail-check";
import { diagnoseSmtp, SLOW_GREETING } from "@/lib/mail/smtp-diagnoses";

/**
 * SMTP check: connect, STARTTLS/TLS, AUTH (XOAUTH2 or password), send one test message. Built on
 * nodemailer's SMTPConnection over a socket this module opens itself, so each phase is timed and
 * a failure keeps its exact cause (DNS, refused, certificate, server reply).
 */

type SmtpCheckInput = MailCheckInput<MailAuth> & {
  from: string;
  to: string;
  subject: string;
  text: string;
  /** EHLO name; default: this machine's host name. */
  clientName?: string;
  /** The health monitor's probe: stop after AUTH (before MAIL FROM/DATA), nothing is sent. */
  probe?: boolean;
};

function captureLogger(transcript: string[], onLine: (line: string) => void) {
  const write = (data: Record<string, unknown> | undefined, message?: string, ...args: unknown[]) => {
    const tnx = data && typeof data.tnx === "string" ? data.tnx : "";
    const text = message === undefined ? "" : format(message, ...args);
    const line = tnx === "server" ? `S: ${text}` : tnx === "client" ? `C: ${text}` : `* ${text}`;
    transcript.push(line);
    onLine(line);
  };
  return { trace: write, debug: write, info: write, warn: write, error: write, fatal: write };
}

/** What the server has sent of a reply it has not finished (nodemailer keeps it until the last line). */
function partialReply(c: SMTPConnection | null): string | null {
  const pending = c as unknown as { _responseQueue?: string[]; _remainder?: string } | null;
  const text = [...(pending?._responseQueue ?? []), pending?._remainder ?? ""].join("\n").trim();
  return text ? text.slice(0, 500) : null;
}

export function smtpCheck(input: SmtpCheckInput): MailCheckDriver<MailAuth> {
  const target = { host: input.host, port: input.port };
  let conn: SMTPConnection | null = null;
  let startTlsRefused = false;

  /** The probe's result: connected, TLS, AUTH accepted; QUIT before MAIL FROM. */
  const probed = (c: SMTPConnection, auth: MailAuth, transcript: string[], clock: { end(ok: boolean): void }) => {
    clock.end(true); // AUTH accepted: the last phase of a probe
    try {
      c.quit();
    } catch {
      // the probe is done; a failing QUIT changes nothing
    }
    const signedIn = auth.kind === "none" ? "without authentication" : `as ${auth.user}`;
    return {
      summary: `Connected to ${input.host}:${input.port} and signed in ${signedIn}; stopped before MAIL FROM (nothing sent).`,
      serverResponse:
        [...transcript]
          .reverse()
          .find((l) => l.startsWith("S: "))
          ?.slice(3) ?? null,
      facts: (auth.kind === "none" ? {} : { "authenticated as": auth.user }) as Record<string, string>,
    };
  };

  return {
    role: "smtp",
    input,
    from: input.from,

    async connect(session) {
      const { clock } = session;
      const socket = await openConnection(session, input);
      // The server speaks first: its greeting and the answer to EHLO are a phase of their own, so a
      // server that greets and then stays silent is not reported as a TLS problem.
      clock.begin("greeting/EHLO", input.security === "tls" ? "after implicit TLS" : undefined);
      const c = new SMTPConnection({
        connection: socket,
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
        // the overall deadline (mail-check.ts) ends a stalled session, saying where it stopped
        socketTimeout: input.overallTimeoutMs + 1000,
        socketCloseTimeout: 500,
        logger: captureLogger(session.transcript, (line) => {
          if (line === "C: STARTTLS") clock.begin("TLS", "STARTTLS");
        }) as never,
        transactionLog: true,
      });
      conn = c;
      session.client = c;

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
    },

    async exchange(auth, { clock, transcript }) {
      const c = conn!; // exchange runs after connect
      if (auth.kind !== "none") {
        clock.begin("authenticate", auth.kind === "xoauth2" ? `XOAUTH2 as ${auth.user}` : `password as ${auth.user}`);
        const authData =
          auth.kind === "xoauth2"
            ? {
                method: "XOAUTH2",
                user: auth.user,
                oauth2: new XOAuth2({ user: auth.user, accessToken: auth.accessToken }),
              }
            : { user: auth.user, pass: auth.pass };
        await new Promise<void>((resolve, reject) => c.login(authData, (err) => (err ? reject(err) : resolve())));
      }

      if (input.probe) return probed(c, auth, transcript, clock);
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
      const as = auth.kind === "none" || auth.user.toLowerCase() === input.from.toLowerCase() ? null : auth.user;
      return {
        summary: `Sent a test message from ${input.from}${as ? ` (authenticated as ${as})` : ""} to ${input.to} through ${input.host}:${input.port}. Check that inbox.`,
        serverResponse: info.response,
        facts: {
          ...(as ? { "authenticated as": as } : {}),
          from: input.from,
          to: input.to,
          subject: input.subject,
          "message id": info.serverMessageId ?? node.messageId(),
        },
      };
    },

    readFailure(err, { phase, timeout, lastServerLine }, { transcript }) {
      const greeted = transcript.some((l) => l.startsWith("S: "));
      let kind = timeout;
      let code =
        err.code === "ETLS" || err.code === "ESOCKET" ? (tlsCodeFromMessage(err.message) ?? err.code) : err.code;
      if (!kind && err.code === "ETIMEDOUT") {
        if (greeted) kind = "overall";
        else if (partialReply(conn)) code = SLOW_GREETING;
        else kind = phase === "DNS + connect" ? "connect" : "greeting";
      }
      const partial = code === SLOW_GREETING ? partialReply(conn) : null;
      return {
        code,
        response: err.response ?? null,
        timeout: kind,
        shown: err.response ?? lastServerLine ?? partial ?? `${err.code ? `${err.code}: ` : ""}${err.message}`,
        startTlsRefused,
      };
    },

    diagnose: diagnoseSmtp,
  };
}
