import type { SandboxContext } from "./context";
import { OUTLOOK_RESOURCE_ALIASES } from "./scopes";
import type { MailboxRecord, UserRecord } from "./store";
import { normalizeAddress } from "./util";

/**
 * Authentication shared by the SMTP and IMAP servers, the way Exchange Online checks an OAuth
 * access token: signature and lifetime, audience (the Outlook resource; a Graph token is refused),
 * the protocol's scope, then which mailbox `user=` names and whether the token's user may use it.
 */

export const EXCHANGE_SERVER_ID = "SBX1PR01MB0001.sandbox.prod.outlook.test";

export interface Xoauth2Credentials {
  user: string;
  accessToken: string;
}

/** Decode `base64("user=" + user + "\x01auth=Bearer " + token + "\x01\x01")`. */
export function parseXoauth2(b64: string): Xoauth2Credentials | null {
  let decoded: string;
  try {
    decoded = Buffer.from(b64.trim(), "base64").toString("utf8");
  } catch {
    return null;
  }
  let user = "";
  let accessToken = "";
  for (const field of decoded.split("\x01")) {
    const eq = field.indexOf("=");
    if (eq < 0) continue;
    const key = field.slice(0, eq).toLowerCase();
    const value = field.slice(eq + 1);
    if (key === "user") user = value.trim();
    else if (key === "auth") {
      const m = /^bearer\s+(.+)$/i.exec(value.trim());
      if (m?.[1]) accessToken = m[1].trim();
    }
  }
  return user && accessToken ? { user, accessToken } : null;
}

export type TokenCheck =
  | { ok: true; user: UserRecord; claims: Record<string, unknown> }
  | { ok: false; reason: "malformed" | "signature" | "expired" | "audience" | "issuer" | "scope" | "user" };

export function checkAccessToken(
  ctx: SandboxContext,
  token: string,
  requiredScope: "SMTP.Send" | "IMAP.AccessAsUser.All",
): TokenCheck {
  const claims = ctx.signer.verify(token);
  if (!claims) return { ok: false, reason: token.split(".").length === 3 ? "signature" : "malformed" };
  const now = Math.floor(Date.now() / 1000);
  if (typeof claims.exp !== "number" || claims.exp <= now) return { ok: false, reason: "expired" };
  if (typeof claims.nbf === "number" && claims.nbf > now + 300) return { ok: false, reason: "expired" };
  const aud = typeof claims.aud === "string" ? claims.aud.replace(/\/+$/, "").toLowerCase() : "";
  if (!OUTLOOK_RESOURCE_ALIASES.includes(aud)) return { ok: false, reason: "audience" };
  const tid = typeof claims.tid === "string" ? claims.tid : "";
  if (claims.iss !== ctx.accessTokenIssuer(tid)) return { ok: false, reason: "issuer" };
  const scp = typeof claims.scp === "string" ? claims.scp.split(" ") : [];
  if (!scp.some((s) => s.toLowerCase() === requiredScope.toLowerCase())) return { ok: false, reason: "scope" };
  const user = typeof claims.oid === "string" ? ctx.store.userById(claims.oid) : undefined;
  if (!user?.accountEnabled || user.tenantId !== tid) return { ok: false, reason: "user" };
  return { ok: true, user, claims };
}

/** Whether `user` may open `mailbox` over IMAP (own mailbox, or FullAccess). */
export function mayReadMailbox(user: UserRecord, mailbox: MailboxRecord): boolean {
  return mailbox.ownerUserId === user.id || mailbox.fullAccess.includes(user.id);
}

/**
 * SMTP AUTH: the XOAUTH2 `user=` must be the token's own user, named by its sign-in name (UPN).
 * Another mailbox — a shared one, even with FullAccess and SendAs — or the user's mail address when
 * it differs from the UPN gets 535 5.7.3; sending as another mailbox is decided at submission.
 */
export function isSmtpIdentity(user: UserRecord, login: string): boolean {
  return normalizeAddress(login) === normalizeAddress(user.userPrincipalName);
}

/**
 * IMAP: the mailbox `user=` names — by its primary or a proxy address, or the user's own sign-in
 * name (UPN) for the user's own mailbox. Null when nothing matches.
 */
export function imapMailbox(ctx: SandboxContext, user: UserRecord, login: string): MailboxRecord | null {
  const byAddress = ctx.store.mailbox(login);
  if (byAddress) return byAddress;
  return isSmtpIdentity(user, login) ? (ctx.store.mailboxOfUser(user.id) ?? null) : null;
}

/** Whether `user` may send as `mailbox` (own mailbox, or SendAs): checked for MAIL FROM and the From: header. */
export function maySendAs(user: UserRecord, mailbox: MailboxRecord): boolean {
  return mailbox.ownerUserId === user.id || mailbox.sendAs.includes(user.id);
}

/** Password check for the per-mailbox password mode (the owner's password). */
export function checkPassword(
  ctx: SandboxContext,
  address: string,
  password: string,
): { user: UserRecord; mailbox: MailboxRecord } | null {
  const mailbox = ctx.store.mailbox(address);
  if (!mailbox?.passwordAuthEnabled || !mailbox.ownerUserId) return null;
  const user = ctx.store.userById(mailbox.ownerUserId);
  if (!user?.accountEnabled || user.password !== password) return null;
  return { user, mailbox };
}
