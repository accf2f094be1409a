import "server-only";
import SMTPConnection from "nodemailer/lib/smtp-connection";
import XOAuth2 from "nodemailer/lib/xoauth2";
import { openTcp, tlsOptions, handshake, type TlsExtras } from "@/lib/mail/connection";
import { acquireSmtpLogin, type SmtpLogin } from "@/lib/mail/smtp-identity";
import { getEmailSettings, type StoredEmailSettings } from "@/lib/settings/email-repository";
import { redact } from "@/lib/mail/redact";
import { usesGraph } from "@/lib/microsoft/client-safe/smtp-transport";
import { sendThroughGraph } from "@/lib/relay/graph-upstream";
import {
  microsoftRefusal,
  openFailureReply,
  type SmtpError,
  splitReply,
  temporary,
  type UpstreamReply,
} from "@/lib/relay/upstream-replies";

export type { UpstreamReply } from "@/lib/relay/upstream-replies";

/**
 * The relay's sessions to Microsoft: SMTP (STARTTLS or TLS) with AUTH XOAUTH2 as the SMTP role of the
 * saved Email Settings (token from the stored connection, see lib/mail/smtp-identity.ts). A session
 * that sent a message goes back to an idle list and carries the next one (no new TLS handshake, AUTH
 * or token request); sessions idle for a minute, or opened for settings that changed since, are closed.
 */

export type Envelope = { from: string; to: string[] };

type Target = { host: string; port: number; security: "starttls" | "tls" | "none" };

type Session = {
  conn: SMTPConnection;
  key: string;
  messages: number;
  idleTimer: NodeJS.Timeout | null;
  closed: boolean;
};

export type UpstreamOptions = {
  /** Extra CA for Microsoft's certificate (tests against the sandbox). */
  tls?: TlsExtras;
  /** At most this many sessions at once (Exchange allows a few concurrent connections per mailbox). */
  maxSessions?: number;
  idleMs?: number;
  /** Default: the SMTP role's token through lib/mail/smtp-identity. */
  login?: (settings: StoredEmailSettings) => Promise<SmtpLogin>;
};

function targetOf(s: StoredEmailSettings): Target | null {
  if (!s.smtpHost || !s.smtpPort) return null;
  const security = (
    ["starttls", "tls", "none"].includes(s.smtpSecurity) ? s.smtpSecurity : "starttls"
  ) as Target["security"];
  return { host: s.smtpHost, port: s.smtpPort, security };
}

export class UpstreamPool {
  private idle: Session[] = [];
  private active = 0;
  private waiting: Array<() => void> = [];
  private stopped = false;
  /** Sessions opened and token requests that reached Microsoft (the benchmark prints them). */
  readonly stats = { sessionsOpened: 0, tokenRefreshes: 0, messages: 0 };

  constructor(private readonly options: UpstreamOptions = {}) {}

  /** Forwards one message and answers with Microsoft's reply (or a temporary refusal saying why not). */
  async send(envelope: Envelope, raw: Buffer, read?: StoredEmailSettings): Promise<UpstreamReply> {
    const settings = read ?? (await getEmailSettings());
    if (usesGraph(settings)) {
      this.stats.messages++;
      return sendThroughGraph(envelope, raw, settings, { ca: this.options.tls?.ca });
    }
    if (settings.smtpAuthType !== "microsoft") {
      return {
        ...temporary(
          `4.3.5 The relay forwards with Microsoft OAuth, but Email Settings do not sign in to SMTP with Microsoft.`,
          "Email Settings do not use Microsoft OAuth for SMTP.",
        ),
        code: 454,
      };
    }
    const target = targetOf(settings);
    if (!target) return temporary("4.3.5 The SMTP host and port are not set in Email Settings.", "SMTP host not set.");
    await this.slot();
    try {
      for (let attempt = 0; ; attempt++) {
        let session: Session;
        try {
          session = this.takeIdle(settings, target) ?? (await this.open(settings, target));
        } catch (error) {
          return openFailureReply(error, target);
        }
        const reused = session.messages > 0;
        const result = await this.transmit(session, envelope, raw);
        if ("retry" in result && attempt === 0 && reused) continue; // Microsoft closed the idle session meanwhile
        if ("retry" in result) return result.reply;
        return result;
      }
    } finally {
      this.release();
    }
  }

  /** Closes the idle sessions (the next message opens a new one, with a token from the stored connection). */
  closeIdle(): void {
    for (const s of this.idle) this.discard(s);
    this.idle = [];
  }

  /** Closes every session (SIGTERM, listener stopped). */
  close(): void {
    this.stopped = true;
    for (const s of this.idle) this.discard(s);
    this.idle = [];
  }

  private async slot(): Promise<void> {
    const max = this.options.maxSessions ?? 10;
    while (this.active >= max) await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
  }

  private release(): void {
    this.active--;
    this.waiting.shift()?.();
  }

  private sessionKey(s: StoredEmailSettings, t: Target): string {
    return [t.host, t.port, t.security, s.smtpUser, s.smtpSignInAs, s.msClientId, s.msTenantId, s.version].join("|");
  }

  private takeIdle(s: StoredEmailSettings, t: Target): Session | null {
    const key = this.sessionKey(s, t);
    while (this.idle.length) {
      const session = this.idle.pop()!;
      if (session.idleTimer) clearTimeout(session.idleTimer);
      if (session.key === key && !session.closed) return session;
      this.discard(session);
    }
    return null;
  }

  private putIdle(session: Session): void {
    if (this.stopped || session.closed) {
      this.discard(session);
      return;
    }
    session.idleTimer = setTimeout(() => {
      this.idle = this.idle.filter((s) => s !== session);
      this.discard(session);
    }, this.options.idleMs ?? 60_000);
    session.idleTimer.unref();
    this.idle.push(session);
  }

  private discard(session: Session): void {
    if (session.idleTimer) clearTimeout(session.idleTimer);
    if (session.closed) return;
    session.closed = true;
    try {
      session.conn.quit();
    } catch {
      session.conn.close();
    }
  }

  private async open(s: StoredEmailSettings, t: Target): Promise<Session> {
    const connectTimeoutMs = s.connectTimeoutMs || 10_000;
    const overallTimeoutMs = Math.max(s.overallTimeoutMs || 30_000, connectTimeoutMs);
    // the token is fetched while the connection is set up
    const giveUpAt = { at: Date.now() + overallTimeoutMs, ms: overallTimeoutMs };
    const login = (this.options.login ?? (() => acquireSmtpLogin({ giveUpAt })))(s);
    login.catch(() => undefined);
    const { socket } = await openTcp(t, connectTimeoutMs);
    const conn = await (async () => {
      const sock = t.security === "tls" ? await handshake(socket, t, this.options.tls, connectTimeoutMs) : socket;
      const c = new SMTPConnection({
        connection: sock,
        host: t.host,
        port: t.port,
        secure: t.security === "tls",
        secured: t.security === "tls",
        requireTLS: t.security === "starttls",
        ignoreTLS: t.security === "none",
        tls: tlsOptions(t, this.options.tls),
        connectionTimeout: connectTimeoutMs,
        greetingTimeout: connectTimeoutMs,
        socketTimeout: Math.max(overallTimeoutMs, 60_000),
        logger: false,
      });
      await new Promise<void>((resolve, reject) => {
        c.once("error", reject);
        c.connect(() => resolve());
      });
      return c;
    })().catch((error: unknown) => {
      socket.destroy();
      throw error;
    });
    const session: Session = { conn, key: this.sessionKey(s, t), messages: 0, idleTimer: null, closed: false };
    conn.on("error", () => {
      session.closed = true;
    });
    conn.on("end", () => {
      session.closed = true;
    });
    let credentials: SmtpLogin;
    try {
      credentials = await login;
    } catch (error) {
      this.discard(session);
      throw error;
    }
    if (!credentials.fromCache) this.stats.tokenRefreshes++;
    try {
      await new Promise<void>((resolve, reject) =>
        conn.login(
          {
            method: "XOAUTH2",
            user: credentials.user,
            oauth2: new XOAuth2({ user: credentials.user, accessToken: credentials.accessToken }),
          } as never,
          (err) => (err ? reject(err) : resolve()),
        ),
      );
    } catch (error) {
      this.discard(session);
      throw Object.assign(error as SmtpError, { phase: "auth" });
    }
    this.stats.sessionsOpened++;
    return session;
  }

  private transmit(
    session: Session,
    envelope: Envelope,
    raw: Buffer,
  ): Promise<UpstreamReply | { retry: true; reply: UpstreamReply }> {
    return new Promise((resolve) => {
      session.conn.send({ from: envelope.from, to: envelope.to, size: raw.length } as never, raw, (err, info) => {
        session.messages++;
        this.stats.messages++;
        if (!err && info) {
          this.putIdle(session);
          const reply = splitReply(info.response ?? "250 OK");
          resolve({
            accepted: true,
            code: 250,
            text: reply.text,
            fromMicrosoft: true,
            upstreamProblem: null,
            refusedRecipients: (info.rejected ?? []).map(String),
          });
          return;
        }
        const e = err as SmtpError;
        if (
          e.responseCode &&
          e.response &&
          (e.code === "EENVELOPE" || e.code === "EMESSAGE") &&
          e.responseCode !== 421
        ) {
          // Microsoft refused this message; the session itself is fine: RSET and keep it
          session.conn.reset((resetErr) => (resetErr ? this.discard(session) : this.putIdle(session)));
          resolve(microsoftRefusal(e.response));
          return;
        }
        this.discard(session);
        if (e.responseCode && e.response) {
          resolve(microsoftRefusal(e.response));
          return;
        }
        const why = redact(`${e.code ? `${e.code}: ` : ""}${e.message}`);
        const reply = temporary(
          `4.4.2 The connection to Microsoft was lost: ${why}`,
          `Connection to Microsoft lost: ${why}`,
        );
        // Another session may carry it only when nothing of it was sent (the session was gone before
        // MAIL FROM was answered): a connection lost later may have delivered it, and a retry would send it twice.
        const before = e.command === "API" || e.command === "CONN" || e.command === "MAIL FROM";
        resolve((e.code === "ECONNECTION" || e.code === "ESOCKET") && before ? { retry: true, reply } : reply);
      });
    });
  }
}
