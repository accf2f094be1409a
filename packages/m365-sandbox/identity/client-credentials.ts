import type { SandboxContext, TokenCallRecord } from "../context";
import { appObjectIds, grantedAppRoles, grantedGraphAppRoles } from "../app-only";
import { graphAudience, resourceKindOf } from "../scopes";
import type { AppRecord } from "../store";
import { randomToken } from "../util";
import { AADSTS, type AadError } from "./errors";
import type { TenantRef } from "./tenants";
import { tenantLabel } from "./tenants";

/**
 * `grant_type=client_credentials` (the client is authenticated by the caller, like every grant):
 * - the scope must be ONE `<resource>/.default` (a delegated scope such as
 *   `https://outlook.office.com/SMTP.Send`, or `openid`, → `invalid_scope` AADSTS1002012);
 * - a tenant-specific authority is required (`/common` and `/organizations` name no tenant to issue the
 *   app's token in; the sandbox answers AADSTS700016 there, see "Known differences" in the README);
 * - the access token is the application's: `oid`/`sub` the service principal's object id, `idtyp`
 *   `app`, no `scp`, and `roles` only for application permissions with admin consent (no consent: a
 *   token without `roles`, as Entra issues it); no refresh token, no id token.
 */
export function issueClientCredentialsToken(
  ctx: SandboxContext,
  app: AppRecord,
  ref: TenantRef,
  form: URLSearchParams,
  record: TokenCallRecord,
): { body: Record<string, unknown> } | { error: AadError } {
  const scopeParam = (form.get("scope") ?? "").trim();
  if (!scopeParam) return { error: AADSTS.missingParameter("scope") };
  const items = scopeParam.split(/\s+/);
  const only = items[0] ?? "";
  if (items.length !== 1 || !only.endsWith("/.default")) return { error: AADSTS.clientCredentialsScope(scopeParam) };
  const resource = only.slice(0, -"/.default".length).replace(/\/+$/, "");
  const kind = resourceKindOf(resource);
  if (!kind) return { error: AADSTS.unknownResource(resource, tenantLabel(ref)) };
  // A multi-tenant endpoint has no tenant to issue an app token in.
  if (ref.kind !== "tenant") return { error: AADSTS.unknownClient(app.clientId, tenantLabel(ref)) };
  const tenantId = ref.tenant.id;
  const { servicePrincipalObjectId } = appObjectIds(app);
  const roles = kind === "outlook" ? grantedAppRoles(app) : grantedGraphAppRoles(app);
  const now = Math.floor(Date.now() / 1000);
  const lifetime = ctx.accessTokenLifetimeSeconds;
  const aud = kind === "outlook" ? resource.toLowerCase() : graphAudience(resource);
  const claims: Record<string, unknown> = {
    aud,
    iss: ctx.accessTokenIssuer(tenantId),
    iat: now,
    nbf: now,
    exp: now + lifetime,
    aio: randomToken(12),
    app_displayname: app.displayName,
    appid: app.clientId,
    appidacr: "1",
    idp: ctx.accessTokenIssuer(tenantId),
    idtyp: "app",
    oid: servicePrincipalObjectId,
    sub: servicePrincipalObjectId,
    tid: tenantId,
    uti: randomToken(16),
    ver: "1.0",
  };
  if (roles.length > 0) claims.roles = roles;
  record.user = `app:${app.clientId}`;
  return {
    body: {
      token_type: "Bearer",
      expires_in: lifetime,
      ext_expires_in: lifetime,
      access_token: ctx.signer.sign(claims),
    },
  };
}
