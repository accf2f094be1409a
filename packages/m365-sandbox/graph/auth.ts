import type { SandboxContext } from "../context";
import { isAppToken } from "../app-only";
import { GRAPH_RESOURCE_ALIASES } from "../scopes";
import type { UserRecord } from "../store";
import { GRAPH_ERRORS, type GraphError } from "./errors";

/**
 * How Microsoft Graph checks the bearer token of a request: signature and lifetime, audience (Graph:
 * the global host or a national cloud's; an Outlook token is refused), issuer; then a delegated
 * token's `scp` or an app token's `roles` (checked per call by the caller).
 */

export type GraphCaller =
  | { kind: "delegated"; user: UserRecord; scopes: string[]; claims: Record<string, unknown> }
  | { kind: "app"; tenantId: string; clientId: string; roles: string[]; claims: Record<string, unknown> };

export function authenticateGraph(ctx: SandboxContext, authorization: string | undefined): GraphCaller | GraphError {
  const m = /^bearer\s+(\S+)$/i.exec((authorization ?? "").trim());
  if (!m?.[1]) return GRAPH_ERRORS.noToken();
  const token = m[1];
  const claims = ctx.signer.verify(token);
  if (!claims)
    return GRAPH_ERRORS.badToken(
      token.split(".").length === 3 ? "Invalid signature." : "IDX14100: JWT is not well formed, there are no dots (.).",
    );
  const now = Math.floor(Date.now() / 1000);
  if (typeof claims.exp !== "number" || claims.exp <= now)
    return GRAPH_ERRORS.badToken("Lifetime validation failed, the token is expired.");
  const aud = typeof claims.aud === "string" ? claims.aud.replace(/\/+$/, "").toLowerCase() : "";
  if (!GRAPH_RESOURCE_ALIASES.includes(aud)) return GRAPH_ERRORS.badToken("Invalid audience.");
  const tid = typeof claims.tid === "string" ? claims.tid : "";
  if (claims.iss !== ctx.accessTokenIssuer(tid)) return GRAPH_ERRORS.badToken("Invalid issuer.");
  if (isAppToken(claims)) {
    return {
      kind: "app",
      tenantId: tid,
      clientId: String(claims.appid ?? ""),
      roles: Array.isArray(claims.roles) ? claims.roles.map(String) : [],
      claims,
    };
  }
  const user = typeof claims.oid === "string" ? ctx.store.userById(claims.oid) : undefined;
  if (!user?.accountEnabled || user.tenantId !== tid)
    return GRAPH_ERRORS.badToken("The user or administrator has not consented to use the application.");
  const scopes = typeof claims.scp === "string" ? claims.scp.split(" ").filter(Boolean) : [];
  return { kind: "delegated", user, scopes, claims };
}

export function hasPermission(granted: string[], permission: string): boolean {
  return granted.some((g) => g.toLowerCase() === permission.toLowerCase());
}
