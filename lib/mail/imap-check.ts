import type net from "node:net";
import tls from "node:tls";
import { ImapFlow, type ImapTransport, type ImapTransportSocket } from "imapflow";
import { describeTls, openConnection, tlsOptions } from "@/lib/mail/connection";
import { diagnoseImap } from "@/lib/mail/imap-diagnoses";
import type { MailCheckDriver, MailCheckInput, OAuthLogin, PasswordLogin } from "@/lib/mail/mail-check";

/**
 * IMAP check: connect (TLS), AUTHENTICATE XOAUTH2 (or LOGIN with a password) as the Approval Reply
 * Address, then SELECT INBOX and count messages. The SELECT is the point: Exchange Online accepts
 * AUTHENTICATE with another user's token and fails only at the next command with
 * `BAD User is authenticated but not connected.`
 */

type LogEntry = { src?: string; msg?: string; err?: { message?: string } };

function saysStartTlsMissing(message: string): boolean {
  return /STARTTLS/.test(message) && /not support|can not start/i.test(message);
}

type ImapAuth = OAuthLogin | PasswordLogin;

export function imapCheck(input: MailCheckInput<ImapAuth>): MailCheckDriver<ImapAuth> {
  const target = { host: input.host, port: input.port };
  let ready: net.Socket | null = null;
  let startTlsMissing = false;

  return {
    role: "imap",
    input,

    async connect(session) {
      ready = await openConnection(session, input);
    },

    async exchange(auth, session) {
      const { clock, transcript } = session;
      let authenticated = false;
      const record = (entry: LogEntry) => {
        if (entry.src === "s" && entry.msg) transcript.push(`S: ${entry.msg}`);
        else if (entry.src === "c" && entry.msg) {
          transcript.push(`C: ${entry.msg}`);
          if (/^\S+ (AUTHENTICATE|LOGIN)\b/i.test(entry.msg)) {
            clock.begin("authenticate", auth.kind === "xoauth2" ? `XOAUTH2 as ${auth.user}` : `LOGIN as ${auth.user}`);
          }
        } else if (entry.src === "auth" && /authenticated/i.test(entry.msg ?? "")) {
          authenticated = true;
          clock.begin("SELECT INBOX");
        } else if (entry.msg && saysStartTlsMissing(entry.msg)) {
          startTlsMissing = true;
        }
      };
      const logger = {
        debug: record,
        info: record,
        warn: record,
        error: record,
        trace: () => undefined,
        fatal: record,
      };
      const socket = ready!; // exchange runs after connect
      // The transport hands ImapFlow the connection opened above, and does the STARTTLS upgrade.
      const transport: ImapTransport = {
        connect: (_options, onConnect) => {
          setImmediate(onConnect);
          return socket as unknown as ImapTransportSocket;
        },
        upgrade: (plain, _options, onSecure) => {
          clock.begin("TLS", "STARTTLS");
          const secure = tls.connect(
            { ...tlsOptions(target, input.tls), socket: plain as unknown as net.Socket },
            () => {
              clock.note(describeTls(secure));
              onSecure();
            },
          );
          return secure as unknown as ImapTransportSocket;
        },
      };
      const c = new ImapFlow({
        host: input.host,
        port: input.port,
        secure: input.security === "tls",
        doSTARTTLS: input.security === "starttls" ? true : input.security === "none" ? false : undefined,
        transport,
        auth:
          auth.kind === "xoauth2"
            ? { user: auth.user, accessToken: auth.accessToken }
            : { user: auth.user, pass: auth.pass },
        logger,
        connectionTimeout: input.connectTimeoutMs,
        greetingTimeout: input.connectTimeoutMs,
        socketTimeout: input.overallTimeoutMs,
        disableAutoIdle: true,
        disableCompression: true,
        disableAutoEnable: true,
        clientInfo: { name: "Mail Connect", vendor: "Mail Connect" },
      });
      session.client = c;
      c.on("error", () => undefined); // reported through the rejected promises below
      await c.connect();
      if (!authenticated) clock.begin("SELECT INBOX");
      const mailbox = await c.mailboxOpen("INBOX");
      const selectReply =
        [...transcript]
          .reverse()
          .find((l) => /^S: \S+ OK\b/.test(l))
          ?.slice(3) ?? null;
      const found = await c.search({ seen: false }, { uid: true });
      clock.end(true);
      c.logout().catch(() => undefined);
      const exists = mailbox.exists;
      const unseen = Array.isArray(found) ? found.length : 0;
      return {
        summary: `Signed in to ${input.host}:${input.port} as ${auth.user} and opened INBOX: ${exists} message${exists === 1 ? "" : "s"}, ${unseen} unseen.`,
        serverResponse: selectReply,
        facts: { mailbox: auth.user, messages: exists, unseen },
      };
    },

    readFailure(err, { phase, timeout, lastServerLine }) {
      let kind = timeout;
      if (!kind && err.code === "CONNECT_TIMEOUT") kind = "connect";
      else if (!kind && (err.code === "GREETING_TIMEOUT" || err.code === "UPGRADE_TIMEOUT")) kind = "greeting";
      if (err.tlsFailed && /STARTTLS/i.test(err.message) && /not support|can not start/i.test(err.message))
        startTlsMissing = true;
      return {
        code: err.code,
        response: err.response ?? err.responseText ?? lastServerLine,
        timeout: kind,
        shown:
          lastServerLine && phase !== "DNS + connect"
            ? lastServerLine
            : `${err.code ? `${err.code}: ` : ""}${err.message}`,
        startTlsRefused: startTlsMissing,
      };
    },

    diagnose: diagnoseImap,
  };
}
