import "server-only";
import type net from "node:net";
import tls from "node:tls";
import { handshake, openTcp, type TlsExtras, tlsOptions } from "@/lib/mail/connection";
import { acquireImapLogin, type ImapLogin } from "@/lib/mail/imap-identity";
import { redact } from "@/lib/mail/redact";
import { MicrosoftTokenError, NeedsReauthorizationError, NotConnectedError } from "@/lib/microsoft/errors/token-errors";
import { LineReader } from "@/lib/relay/imap/line-reader";
import type { StoredEmailSettings } from "@/lib/settings/email-repository";

/**
 * The gateway's session to Microsoft for one client: TLS (implicit, or STARTTLS) to the IMAP host of
 * Email Settings, then AUTHENTICATE XOAUTH2 with the IMAP role's token (lib/mail/imap-identity.ts — the
 * same sign-in as the IMAP check: delegated, a shared mailbox's delegate, or app-only) for the mailbox the
 * client named. On success the socket is handed over for piping, with any bytes already read.
 */

export type UpstreamLoginOptions = {
  /** Extra CA for Microsoft's certificate (tests against the sandbox). */
  tls?: TlsExtras;
  /** Default: the IMAP role's token through lib/mail/imap-identity. */
  login?: (mailbox: string, giveUpAt: { at: number; ms: number }) => Promise<ImapLogin>;
};

export type UpstreamLogin =
  | {
      ok: true;
      socket: tls.TLSSocket;
      /** Microsoft's tagged OK text ("AUTHENTICATE completed.") and untagged lines before it. */
      okText: string;
      untagged: string[];
      /** Bytes Microsoft sent after its OK (passed to the client first). */
      rest: Buffer;
      account: string;
    }
  /** `refused`: Microsoft (or the connection) refused the sign-in; otherwise unreachable or timed out. */
  | { ok: false; refused: boolean; reason: string };

function xoauth2(user: string, accessToken: string): string {
  return Buffer.from(`user=${user}\x01auth=Bearer ${accessToken}\x01\x01`, "utf8").toString("base64");
}

function problemOf(s: StoredEmailSettings): string | null {
  if (s.imapAuthType !== "microsoft" || !s.imapUser)
    return "Email Settings do not sign in to IMAP with Microsoft OAuth (the Approval Reply Address): the gateway signs in upstream only that way.";
  if (!s.imapHost || !s.imapPort) return "The IMAP host and port are not set in Email Settings.";
  if (s.imapSecurity === "none")
    return "The IMAP security of Email Settings is None: the gateway never sends a Microsoft token unencrypted.";
  return null;
}

export async function upstreamLogin(
  settings: StoredEmailSettings,
  mailbox: string,
  options: UpstreamLoginOptions = {},
): Promise<UpstreamLogin> {
  const problem = problemOf(settings);
  if (problem) return { ok: false, refused: true, reason: problem };
  const target = { host: settings.imapHost!, port: settings.imapPort! };
  const connectTimeoutMs = settings.connectTimeoutMs || 10_000;
  const overallTimeoutMs = Math.max(settings.overallTimeoutMs || 30_000, connectTimeoutMs);
  const giveUpAt = { at: Date.now() + overallTimeoutMs, ms: overallTimeoutMs };
  // the token is fetched while the connection is set up
  const login = (options.login ?? ((m, g) => acquireImapLogin(m, { giveUpAt: g })))(mailbox, giveUpAt);
  login.catch(() => undefined);
  const where = `${target.host}:${target.port}`;
  let socket: net.Socket | null = null;
  let reader: LineReader | null = null;
  const fail = (refused: boolean, reason: string): UpstreamLogin => {
    reader?.detach();
    socket?.destroy();
    return { ok: false, refused, reason };
  };
  try {
    const plain = (await openTcp(target, connectTimeoutMs)).socket;
    socket = plain;
    let secure: tls.TLSSocket;
    if (settings.imapSecurity === "starttls") {
      reader = new LineReader(plain);
      const greeting = await reader.next(connectTimeoutMs);
      if (!/^\* OK\b/i.test(greeting)) return fail(false, `${where} greeted with "${redact(greeting).slice(0, 200)}"`);
      plain.write("S1 STARTTLS\r\n");
      let answer = await reader.next(connectTimeoutMs);
      while (answer.startsWith("* ")) answer = await reader.next(connectTimeoutMs);
      if (!/^S1 OK\b/i.test(answer)) return fail(false, `${where} refused STARTTLS: ${redact(answer).slice(0, 200)}`);
      reader.detach();
      reader = null;
      secure = await new Promise<tls.TLSSocket>((resolve, reject) => {
        const s = tls.connect({ ...tlsOptions(target, options.tls), socket: plain }, () => resolve(s));
        s.once("error", reject);
      });
    } else {
      secure = await handshake(plain, target, options.tls, connectTimeoutMs);
    }
    socket = secure;
    reader = new LineReader(secure);
    if (settings.imapSecurity !== "starttls") {
      const greeting = await reader.next(connectTimeoutMs);
      if (!/^\* OK\b/i.test(greeting)) return fail(false, `${where} greeted with "${redact(greeting).slice(0, 200)}"`);
    }
    let credentials: ImapLogin;
    try {
      credentials = await login;
    } catch (error) {
      return fail(true, tokenProblem(error));
    }
    const left = () => Math.max(giveUpAt.at - Date.now(), 1000);
    secure.write("M1 AUTHENTICATE XOAUTH2\r\n");
    const untagged: string[] = [];
    let sentToken = false;
    for (;;) {
      const line = await reader.next(left());
      if (line.startsWith("+")) {
        // the first continuation asks for the credentials; a second one carries the error (answer empty)
        secure.write(sentToken ? "\r\n" : `${xoauth2(credentials.user, credentials.accessToken)}\r\n`);
        sentToken = true;
        continue;
      }
      if (line.startsWith("* ")) {
        if (/^\* BYE\b/i.test(line)) return fail(true, `Microsoft closed the session: ${redact(line.slice(2))}`);
        untagged.push(line);
        continue;
      }
      const tagged = /^M1 (OK|NO|BAD)\b ?(.*)$/i.exec(line);
      if (!tagged) continue;
      if (tagged[1].toUpperCase() !== "OK")
        return fail(
          true,
          `Microsoft refused the sign-in to ${mailbox}: ${tagged[1].toUpperCase()} ${redact(tagged[2])}`,
        );
      const rest = reader.detach();
      return { ok: true, socket: secure, okText: tagged[2], untagged, rest, account: credentials.account };
    }
  } catch (error) {
    const e = error as Error & { code?: string };
    return fail(false, `Microsoft is unreachable (${where}): ${redact(`${e.code ? `${e.code}: ` : ""}${e.message}`)}`);
  }
}

function tokenProblem(error: unknown): string {
  if (error instanceof NeedsReauthorizationError || error instanceof NotConnectedError)
    return `The Microsoft connection of the IMAP mailbox needs re-authorization: ${redact(error.message)}`;
  if (error instanceof MicrosoftTokenError)
    return `Microsoft did not issue a token: ${redact(error.translated.summary)}`;
  return `No Microsoft token: ${redact(error instanceof Error ? error.message : String(error))}`;
}
