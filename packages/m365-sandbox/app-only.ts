import { createHash } from "node:crypto";
import type { SandboxContext } from "./context";
import { OUTLOOK_RESOURCE_ALIASES } from "./scopes";
import type { AppRecord, ExchangeServicePrincipalRecord, MailboxRecord } from "./store";

/**
 * App-only access (OAuth client credentials) the way Entra and Exchange Online check it:
 * - Entra: the app's application permissions of Office 365 Exchange Online become the token's `roles`
 *   only once an administrator granted consent; the token's `oid` is the object id of the app's
 *   service principal (the Enterprise application), not of the app registration;
 * - Exchange: the token's service principal must be registered in Exchange (`New-ServicePrincipal
 *   -AppId <client id> -ObjectId <Enterprise application object id>`) and granted the mailbox
 *   (`Add-MailboxPermission -User <service principal> -AccessRights FullAccess`).
 */

export const APP_ROLE_SMTP = "SMTP.SendAsApp";
export const APP_ROLE_IMAP = "IMAP.AccessAsApp";
export type AppRole = typeof APP_ROLE_SMTP | typeof APP_ROLE_IMAP;

/** Application permissions Office 365 Exchange Online publishes (the subset the sandbox knows). */
export const EXCHANGE_APP_PERMISSIONS = [
  APP_ROLE_SMTP,
  APP_ROLE_IMAP,
  "POP.AccessAsApp",
  "full_access_as_app",
  "Mail.Send",
] as const;

/** A stable GUID derived from a seed (apps registered before these ids existed get the same ids every time). */
function derivedGuid(seed: string): string {
  const h = createHash("sha256").update(seed).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The app registration's object id and its service principal's (Enterprise application) object id. */
export function appObjectIds(app: AppRecord): { applicationObjectId: string; servicePrincipalObjectId: string } {
  return {
    applicationObjectId: app.objectId ?? derivedGuid(`application|${app.clientId.toLowerCase()}`),
    servicePrincipalObjectId: app.servicePrincipalId ?? derivedGuid(`servicePrincipal|${app.clientId.toLowerCase()}`),
  };
}

/** The roles an app token carries: the configured application permissions with admin consent. */
export function grantedAppRoles(app: AppRecord): string[] {
  const configured = new Set((app.appPermissions ?? []).map((p) => p.toLowerCase()));
  return (app.consentedAppPermissions ?? []).filter((p) => configured.has(p.toLowerCase()));
}

/** Microsoft Graph application permissions the sandbox knows (`Mail.Send`: send as any mailbox of the tenant). */
export const GRAPH_APP_PERMISSIONS = ["Mail.Send", "Mail.ReadWrite", "User.Read.All"] as const;

/** The roles a Graph app token carries: the configured Graph application permissions with admin consent. */
export function grantedGraphAppRoles(app: AppRecord): string[] {
  const configured = new Set((app.graphAppPermissions ?? []).map((p) => p.toLowerCase()));
  return (app.consentedGraphAppPermissions ?? []).filter((p) => configured.has(p.toLowerCase()));
}

export function canonicalAppPermission(name: string): string | null {
  return EXCHANGE_APP_PERMISSIONS.find((p) => p.toLowerCase() === name.toLowerCase()) ?? null;
}

export function exchangeServicePrincipals(ctx: SandboxContext): ExchangeServicePrincipalRecord[] {
  ctx.store.data.exchangeServicePrincipals ??= [];
  return ctx.store.data.exchangeServicePrincipals;
}

/** A registered Exchange service principal by object id, app id or display name (as `-User` accepts). */
export function findExchangeServicePrincipal(
  ctx: SandboxContext,
  identity: string,
): ExchangeServicePrincipalRecord | undefined {
  const v = identity.trim().toLowerCase();
  return exchangeServicePrincipals(ctx).find(
    (sp) => sp.objectId.toLowerCase() === v || sp.appId.toLowerCase() === v || sp.displayName.toLowerCase() === v,
  );
}

export type AppTokenCheck =
  | { ok: true; servicePrincipal: ExchangeServicePrincipalRecord; mailbox: MailboxRecord }
  | { ok: false; reason: "not_app_token" | "invalid" | "role" | "service_principal" | "mailbox" | "permission" };

/** Whether a (signature-checked) token is an app-only token: no user, `idtyp` app. */
export function isAppToken(claims: Record<string, unknown>): boolean {
  return claims.idtyp === "app" && typeof claims.scp !== "string";
}

/**
 * Exchange's checks of an app-only token presented for `mailboxAddress`: signature, lifetime,
 * audience, issuer, the protocol's role, the service principal registered in Exchange by the
 * token's `oid`, and its FullAccess on the mailbox. Every failure is the same answer to the client.
 */
export function checkAppAccessToken(
  ctx: SandboxContext,
  token: string,
  role: AppRole,
  mailboxAddress: string,
): AppTokenCheck {
  const claims = ctx.signer.verify(token);
  if (!claims) return { ok: false, reason: "invalid" };
  if (!isAppToken(claims)) return { ok: false, reason: "not_app_token" };
  const now = Math.floor(Date.now() / 1000);
  if (typeof claims.exp !== "number" || claims.exp <= now) return { ok: false, reason: "invalid" };
  const aud = typeof claims.aud === "string" ? claims.aud.replace(/\/+$/, "").toLowerCase() : "";
  if (!OUTLOOK_RESOURCE_ALIASES.includes(aud)) return { ok: false, reason: "invalid" };
  const tid = typeof claims.tid === "string" ? claims.tid : "";
  if (claims.iss !== ctx.accessTokenIssuer(tid)) return { ok: false, reason: "invalid" };
  const roles = Array.isArray(claims.roles) ? claims.roles.map(String) : [];
  if (!roles.some((r) => r.toLowerCase() === role.toLowerCase())) return { ok: false, reason: "role" };
  const oid = typeof claims.oid === "string" ? claims.oid.toLowerCase() : "";
  const servicePrincipal = exchangeServicePrincipals(ctx).find(
    (sp) => sp.tenantId === tid && sp.objectId.toLowerCase() === oid,
  );
  if (!servicePrincipal) return { ok: false, reason: "service_principal" };
  const mailbox = ctx.store.mailbox(mailboxAddress);
  if (!mailbox || mailbox.tenantId !== tid) return { ok: false, reason: "mailbox" };
  if (!(mailbox.appFullAccess ?? []).includes(servicePrincipal.objectId)) return { ok: false, reason: "permission" };
  return { ok: true, servicePrincipal, mailbox };
}

/** The token's claims when it is a validly signed app-only token (the servers pick the app path with it). */
export function appTokenClaims(ctx: SandboxContext, token: string): Record<string, unknown> | null {
  const claims = ctx.signer.verify(token);
  return claims && isAppToken(claims) ? claims : null;
}
