import type { IncomingMessage } from "node:http";
import type { SandboxContext, SsoSession } from "../context";
import type { UserRecord } from "../store";
import { randomToken } from "../util";
import { parseCookies } from "./http";

/**
 * The browser's sign-in session with the identity platform (Microsoft's ESTSAUTH cookies):
 * the accounts signed in to this browser. It is what makes a second authorize request sign in
 * the previous user silently, and what the account picker lists.
 */

export const SSO_COOKIE = "ESTSAUTH";

export function currentSession(ctx: SandboxContext, req: IncomingMessage): SsoSession | null {
  const id = parseCookies(req)[SSO_COOKIE];
  return id ? (ctx.sessions.get(id) ?? null) : null;
}

export function sessionAccounts(ctx: SandboxContext, session: SsoSession | null): UserRecord[] {
  if (!session) return [];
  const out: UserRecord[] = [];
  for (const a of session.accounts) {
    const u = ctx.store.userById(a.userId);
    if (u?.accountEnabled) out.push(u);
  }
  return out;
}

export function cookieHeader(sessionId: string): string {
  return `${SSO_COOKIE}=${encodeURIComponent(sessionId)}; Path=/; Secure; HttpOnly; SameSite=None`;
}

export function clearCookieHeader(): string {
  return `${SSO_COOKIE}=; Path=/; Secure; HttpOnly; SameSite=None; Max-Age=0`;
}

/** Add (or move to the front) a signed-in account; returns the session and the Set-Cookie value. */
export function signInAccount(
  ctx: SandboxContext,
  req: IncomingMessage,
  user: UserRecord,
): { session: SsoSession; setCookie: string } {
  let session = currentSession(ctx, req);
  if (!session) {
    session = { id: randomToken(24), accounts: [] };
    ctx.sessions.set(session.id, session);
  }
  session.accounts = [
    { userId: user.id, signedInAt: Math.floor(Date.now() / 1000) },
    ...session.accounts.filter((a) => a.userId !== user.id),
  ];
  return { session, setCookie: cookieHeader(session.id) };
}
