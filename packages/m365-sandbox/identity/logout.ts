import type { IncomingMessage, ServerResponse } from "node:http";
import type { SandboxContext } from "../context";
import { decodeJwt } from "../tokens";
import { normalizeAddress } from "../util";
import { redirect, sendHtml } from "./http";
import { signedOutPage } from "./pages";
import { clearCookieHeader, cookieHeader, currentSession } from "./session";

/**
 * `/{tenant}/oauth2/v2.0/logout`: ends the browser's SSO session (one account with `logout_hint`,
 * else all), then returns to `post_logout_redirect_uri` when it is a registered redirect URI of the
 * app (`client_id` or the `id_token_hint`'s audience), else shows the "signed out" page.
 */
export function handleLogout(
  ctx: SandboxContext,
  req: IncomingMessage,
  res: ServerResponse,
  params: URLSearchParams,
): void {
  const session = currentSession(ctx, req);
  let setCookie = clearCookieHeader();
  if (session) {
    const hint = params.get("logout_hint");
    const hinted = hint ? ctx.store.userByUpn(hint) : undefined;
    if (hinted) session.accounts = session.accounts.filter((a) => a.userId !== hinted.id);
    else session.accounts = [];
    if (session.accounts.length === 0) ctx.sessions.delete(session.id);
    else setCookie = cookieHeader(session.id);
  }
  const target = params.get("post_logout_redirect_uri");
  let clientId = params.get("client_id");
  const idTokenHint = params.get("id_token_hint");
  if (!clientId && idTokenHint) {
    try {
      const aud = decodeJwt(idTokenHint).aud;
      if (typeof aud === "string") clientId = aud;
    } catch {
      // ignore a malformed hint
    }
  }
  const apps = clientId ? [ctx.store.app(clientId)].filter((a) => a !== undefined) : ctx.store.data.apps;
  if (
    target &&
    apps.some(
      (a) =>
        a.redirectUris.includes(target) ||
        a.redirectUris.some((u) => normalizeAddress(new URL(u).origin) === normalizeAddress(safeOrigin(target))),
    )
  ) {
    const state = params.get("state");
    const url = state ? `${target}${target.includes("?") ? "&" : "?"}state=${encodeURIComponent(state)}` : target;
    redirect(res, url, { "set-cookie": setCookie });
    return;
  }
  sendHtml(res, 200, signedOutPage(), { "set-cookie": setCookie });
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "";
  }
}
