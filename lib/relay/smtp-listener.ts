import "server-only";
import type { AddressInfo } from "node:net";
import { SMTPServer, type SMTPServerAuthentication, type SMTPServerSession } from "smtp-server";
import { smtpSendingMailbox } from "@/lib/mail/smtp-identity";
import { EXCHANGE_LIMITS } from "@/lib/relay/client-safe/limits";
import { countFailedSignIn, signInThrottled } from "@/lib/relay/auth-throttle";
import { takeAllWithin } from "@/lib/relay/counters";
import { logRelayActivity } from "@/lib/relay/activity-log";
import {
  credentialActive,
  sourceAllowed,
  type StoredCredential,
  verifyCredential,
} from "@/lib/relay/credential-repository";
import { senderAddresses } from "@/lib/relay/message-headers";
import { recordUpstreamProblem } from "@/lib/relay/relay-repository";
import type { UpstreamPool, UpstreamReply } from "@/lib/relay/upstream";
import { recentEmailSettings } from "@/lib/settings/email-repository";
import { errorText, logger } from "@/lib/log/logger";
import { countRelayMessage } from "@/lib/metrics/metrics";

const log = logger("relay");

/**
 * The submission listener (smtp-server): STARTTLS with the app's certificate (TLS 1.2 or newer), AUTH
 * PLAIN / LOGIN with a relay credential (TLS first, except from loopback), the credential's From
 * addresses on MAIL FROM and on From:/Sender:, Exchange Online's limits, then the message forwarded
 * to Microsoft before the client is answered — with Microsoft's own reply.
 */

export type SmtpRelayOptions = {
  port: number;
  host: string;
  key: string;
  cert: string;
  upstream: UpstreamPool;
  maxMessageBytes: number;
  /** A client silent this long is dropped (default 60 s). */
  socketTimeoutMs?: number;
  /** On close, sessions in flight get this long to finish (default 30 s). */
  closeTimeoutMs?: number;
  /** Exchange Online's limits (default EXCHANGE_LIMITS; the benchmark lifts the per-minute one). */
  limits?: Partial<Pick<typeof EXCHANGE_LIMITS, "messagesPerMinute" | "recipientsPerDay">>;
};

export type RunningSmtpRelay = { port: number; close: () => Promise<void> };

type RelayUser = { credential: StoredCredential };

function reply(code: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode: code });
}

function relayUser(session: SMTPServerSession): RelayUser | null {
  const u = session.user as unknown;
  return u && typeof u === "object" && "credential" in u ? (u as RelayUser) : null;
}

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const a = address.replace(/^::ffff:/, "");
  return a === "::1" || /^127\./.test(a);
}

function allowedList(c: StoredCredential): string {
  return c.allowedFrom.join(", ");
}

function logFailure(what: string, error: unknown): void {
  log.error({ error: errorText(error) }, what);
}

/** Fire-and-forget bookkeeping after the client has its answer. */
function later(what: string, work: Promise<unknown>): void {
  work.catch((error: unknown) => logFailure(what, error));
}

let knownUpstreamProblem: string | null | undefined;

function noteUpstream(problem: string | null): void {
  if (problem === knownUpstreamProblem) return;
  knownUpstreamProblem = problem;
  later("recording the upstream state", recordUpstreamProblem(problem));
  if (problem)
    later(
      "raising the relay alert",
      import("@/lib/alerts/relay-alert").then(({ alertRelayRefusal }) => alertRelayRefusal(problem)),
    );
}

export function startSmtpRelay(options: SmtpRelayOptions): Promise<RunningSmtpRelay> {
  const server: SMTPServer = new SMTPServer({
    name: "mail-connect-relay",
    banner: "Mail Connect SMTP relay (forwards to Microsoft 365)",
    key: options.key,
    cert: options.cert,
    minVersion: "TLSv1.2",
    secure: false,
    authMethods: ["PLAIN", "LOGIN"],
    // TLS before AUTH is checked in onAuth (loopback may skip it), so the library must not refuse first
    allowInsecureAuth: true,
    authRequiredMessage: "5.7.0 Authentication required",
    size: options.maxMessageBytes,
    socketTimeout: options.socketTimeoutMs ?? 60_000,
    closeTimeout: options.closeTimeoutMs ?? 30_000,
    logger: false,
    disabledCommands: [],

    onAuth(auth: SMTPServerAuthentication, session, callback) {
      void (async () => {
        const address = session.remoteAddress;
        if (!session.secure && !isLoopback(address)) {
          callback(reply(538, "5.7.11 Encryption required: send STARTTLS before AUTH"));
          return;
        }
        const name = (auth.username ?? "").trim().toLowerCase().slice(0, 64);
        if (await signInThrottled(name, address)) {
          callback(
            reply(454, "4.7.0 Too many failed sign-ins for this credential or address: try again in 15 minutes"),
          );
          return;
        }
        const credential = await verifyCredential(name, auth.password ?? "");
        if (!credential) {
          await countFailedSignIn(name, address);
          log.warn({ credential: name, address }, "failed sign-in");
          callback(reply(535, "5.7.8 Authentication credentials invalid"));
          return;
        }
        if (!sourceAllowed(credential.allowedCidrs, address)) {
          log.warn({ credential: name, address }, "credential used outside its allowed source addresses");
          callback(reply(535, `5.7.8 The credential ${name} may not be used from ${address}`));
          return;
        }
        callback(null, { user: { credential } satisfies RelayUser });
      })().catch((error: unknown) => {
        logFailure("AUTH", error);
        callback(reply(454, "4.7.0 Temporary authentication failure"));
      });
    },

    onMailFrom(address, session, callback) {
      void (async () => {
        const user = relayUser(session);
        if (!user) return callback(reply(530, "5.7.0 Authentication required"));
        const c = user.credential;
        const from = address.address.toLowerCase();
        if (!c.allowedFrom.includes(from)) {
          countRelayMessage("refused");
          return callback(
            reply(550, `5.7.1 The credential ${c.name} may not send as <${from}>; allowed: ${allowedList(c)}`),
          );
        }
        if (!(await credentialActive(c.id))) {
          countRelayMessage("refused");
          return callback(reply(535, `5.7.8 The credential ${c.name} was revoked`));
        }
        callback();
      })().catch((error: unknown) => {
        logFailure("MAIL FROM", error);
        callback(reply(451, "4.3.0 Temporary failure, try again"));
      });
    },

    onRcptTo(_address, session, callback) {
      if (session.envelope.rcptTo.length >= EXCHANGE_LIMITS.recipientsPerMessage) {
        callback(
          reply(
            452,
            `4.5.3 Too many recipients: Exchange Online accepts ${EXCHANGE_LIMITS.recipientsPerMessage} per message`,
          ),
        );
        return;
      }
      callback();
    },

    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("error", (error) => callback(error));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks);
        void relayMessage(options, session, raw, stream.sizeExceeded).then(
          (answer) => (answer.code === 250 ? callback(null, answer.text) : callback(reply(answer.code, answer.text))),
          (error: unknown) => {
            logFailure("DATA", error);
            callback(reply(451, "4.3.0 Temporary failure, the message was not sent: try again"));
          },
        );
      });
    },
  });
  server.on("error", (error) => {
    // one client's failure (a dropped TLS handshake) is not the listener's
    log.warn({ error: error.message }, "connection error");
  });

  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.server.once("error", onError);
    server.listen(options.port, options.host, () => {
      server.server.off("error", onError);
      resolve({
        port: (server.server.address() as AddressInfo).port,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}

type Answer = { code: number; text: string };

async function relayMessage(
  options: SmtpRelayOptions,
  session: SMTPServerSession,
  raw: Buffer,
  oversize: boolean,
): Promise<Answer> {
  const user = relayUser(session);
  if (!user) return { code: 530, text: "5.7.0 Authentication required" };
  const c = user.credential;
  const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address.toLowerCase() : "";
  const to = session.envelope.rcptTo.map((r) => r.address);
  const record = (outcome: "relayed" | "refused" | "failed", answer: Answer) => {
    logRelayActivity({
      credentialId: c.id,
      credentialName: c.name,
      mailFrom,
      recipients: to.length,
      sizeBytes: raw.length,
      outcome,
      reply: `${answer.code} ${answer.text}`,
      remoteAddress: session.remoteAddress,
    });
    countRelayMessage(outcome);
    if (outcome !== "relayed")
      log.warn(
        { credential: c.name, mailFrom, recipients: to.length, outcome, reply: `${answer.code} ${answer.text}` },
        "message not relayed",
      );
    return answer;
  };

  if (oversize) {
    return record("refused", {
      code: 552,
      text: `5.3.4 Message too big: the limit is ${options.maxMessageBytes} bytes`,
    });
  }
  const headers = senderAddresses(raw);
  const notAllowed = [...headers.from, ...headers.sender].filter((a) => !c.allowedFrom.includes(a));
  if (headers.from.length === 0) {
    return record("refused", { code: 550, text: "5.6.0 The message has no From: header" });
  }
  if (notAllowed.length) {
    return record("refused", {
      code: 550,
      text: `5.7.1 The credential ${c.name} may not send as ${notAllowed.map((a) => `<${a}>`).join(", ")} (From:/Sender:); allowed: ${allowedList(c)}`,
    });
  }

  const settings = await recentEmailSettings();
  const mailbox = smtpSendingMailbox(settings).toLowerCase() || "unknown";
  const limits = { ...EXCHANGE_LIMITS, ...options.limits };
  // Checked here, just before Microsoft is asked, in one transaction: the credential's rate and
  // Exchange's per-mailbox limits (summed over every instance).
  const over = await takeAllWithin([
    { name: `cred-min:${c.id}`, window: "minute", by: 1, limit: c.ratePerMinute },
    { name: `mbx-min:${mailbox}`, window: "minute", by: 1, limit: limits.messagesPerMinute },
    { name: `mbx-day:${mailbox}`, window: "day", by: to.length, limit: limits.recipientsPerDay },
  ]);
  if (over?.name.startsWith("cred-min:")) {
    return record("refused", {
      code: 451,
      text: `4.7.0 The credential ${c.name} may send ${c.ratePerMinute} messages a minute: try again shortly`,
    });
  }
  if (over?.name.startsWith("mbx-min:")) {
    return record("refused", {
      code: 451,
      text: `4.7.0 Exchange Online accepts ${limits.messagesPerMinute} messages a minute from ${mailbox}: try again in a minute`,
    });
  }
  if (over) {
    return record("refused", {
      code: 451,
      text: `4.7.0 Exchange Online accepts ${limits.recipientsPerDay} recipients a day from ${mailbox}: try again tomorrow`,
    });
  }

  const upstream: UpstreamReply = await options.upstream.send({ from: mailFrom, to }, raw, settings);
  noteUpstream(upstream.upstreamProblem);
  if (upstream.accepted) {
    const text = upstream.refusedRecipients.length
      ? `${upstream.text} (Microsoft refused: ${upstream.refusedRecipients.join(", ")})`
      : upstream.text;
    return record("relayed", { code: 250, text });
  }
  return record(upstream.fromMicrosoft && upstream.code >= 500 ? "refused" : "failed", {
    code: upstream.code,
    text: upstream.text,
  });
}
