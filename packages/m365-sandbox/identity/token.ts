import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AuthCode, RefreshTokenRef, SandboxContext, TokenCallRecord } from "../context";
import {
  expandDefault,
  fullScope,
  isScopeError,
  parseScopeParam,
  type ParsedScopes,
  type ResourceKind,
} from "../scopes";
import type { AppRecord, RefreshTokenRecord, UserRecord } from "../store";
import { base64url, newGuid, randomToken, sha256Hex, tokenFingerprint } from "../util";
import { authenticateClient } from "./client-auth";
import { AADSTS, aadTimestamp, errorContext, tokenErrorBody } from "./errors";
import { readForm, sendJson } from "./http";
import { conditionalAccessError } from "./policies";
import { applyTokenFault } from "./token-faults";
import { issueClientCredentialsToken } from "./client-credentials";
import { fail, TokenError } from "./token-error";
import type { TenantRef } from "./tenants";
import { tenantLabel } from "./tenants";

/**
 * `/{tenant}/oauth2/v2.0/token`: authorization_code, refresh_token and client_credentials grants (client
 * authentication: `client-auth.ts`), PKCE, one-time codes, rotating refresh tokens (the previous one stays valid),
 * revocation (AADSTS50173) and inactivity (AADSTS700082), and Microsoft-shaped errors.
 */

function pkceMatches(code: AuthCode, verifier: string | null): boolean {
  if (!code.codeChallenge) return true;
  if (!verifier) return false;
  const computed =
    code.codeChallengeMethod === "S256" ? createHash("sha256").update(verifier).digest("base64url") : verifier;
  return computed === code.codeChallenge;
}

function consentedScopes(app: AppRecord, user: UserRecord): Set<string> {
  return new Set([...app.adminConsentedScopes, ...(app.userConsents[user.id] ?? [])].map((s) => s.toLowerCase()));
}

interface Issued {
  body: Record<string, unknown>;
  refreshRef: RefreshTokenRef | null;
}

function issueTokens(
  ctx: SandboxContext,
  app: AppRecord,
  user: UserRecord,
  scope: ParsedScopes,
  permissions: string[],
  opts: { nonce: string | null; authTime: number; familyId: string | null; clientInfo: boolean },
): Issued {
  const now = Math.floor(Date.now() / 1000);
  const lifetime = ctx.accessTokenLifetimeSeconds;
  const kind: ResourceKind | null = scope.resource;
  const scp = kind
    ? permissions
    : ["openid", "profile", "email", "User.Read"].filter((s) => s === "User.Read" || scope.oidc.includes(s));
  const accessToken = ctx.signer.sign({
    aud: scope.audience,
    iss: ctx.accessTokenIssuer(user.tenantId),
    iat: now,
    nbf: now,
    exp: now + lifetime,
    acr: "1",
    aio: randomToken(12),
    amr: ["pwd"],
    app_displayname: app.displayName,
    appid: app.clientId,
    appidacr: "1",
    idtyp: "user",
    name: user.displayName,
    oid: user.id,
    preferred_username: user.userPrincipalName,
    puid: user.id.replace(/-/g, "").slice(0, 16).toUpperCase(),
    scp: scp.join(" "),
    sid: newGuid(),
    sub: base64url(createHash("sha256").update(`${user.id}|${scope.audience}`).digest()).slice(0, 43),
    tid: user.tenantId,
    unique_name: user.userPrincipalName,
    upn: user.userPrincipalName,
    uti: randomToken(16),
    ver: "1.0",
  });
  const body: Record<string, unknown> = {
    token_type: "Bearer",
    scope: [
      ...(kind === "graph" || !kind ? scp : permissions.map((p) => `${scope.audience}/${p}`)),
      ...scope.oidc.filter((s) => s !== "offline_access" && !(kind === null && scp.includes(s))),
    ].join(" "),
    expires_in: lifetime,
    ext_expires_in: lifetime,
    access_token: accessToken,
  };
  let refreshRef: RefreshTokenRef | null = null;
  if (scope.oidc.includes("offline_access")) {
    const token = `1.${randomToken(96)}`;
    const familyId = opts.familyId ?? newGuid();
    const sequence =
      1 + Math.max(0, ...ctx.store.data.refreshTokens.filter((t) => t.familyId === familyId).map((t) => t.sequence));
    const record: RefreshTokenRecord = {
      hash: sha256Hex(token),
      fingerprint: tokenFingerprint(token),
      familyId,
      sequence,
      userId: user.id,
      tenantId: user.tenantId,
      clientId: app.clientId,
      issuedAt: new Date().toISOString(),
      lastUsedAt: null,
      inactive: false,
      authTime: opts.authTime,
    };
    ctx.store.data.refreshTokens.push(record);
    body.refresh_token = token;
    refreshRef = { fingerprint: record.fingerprint, familyId, sequence };
  }
  if (scope.oidc.includes("openid")) {
    const claims: Record<string, unknown> = {
      aud: app.clientId,
      iss: ctx.issuer(user.tenantId),
      iat: now,
      nbf: now,
      exp: now + 3600,
      auth_time: opts.authTime,
      oid: user.id,
      sub: base64url(createHash("sha256").update(`${user.id}|${app.clientId}`).digest()).slice(0, 43),
      tid: user.tenantId,
      uti: randomToken(16),
      ver: "2.0",
      aio: randomToken(12),
      rh: randomToken(8),
    };
    if (scope.oidc.includes("profile")) {
      claims.name = user.displayName;
      claims.preferred_username = user.userPrincipalName;
    }
    if (scope.oidc.includes("email")) claims.email = user.userPrincipalName;
    if (opts.nonce) claims.nonce = opts.nonce;
    // a test switch: another tenant's tid, or an email claim that is not the user's (both mutable or forgeable inputs)
    if (ctx.idTokenClaims) Object.assign(claims, ctx.idTokenClaims);
    body.id_token = ctx.signer.sign(claims);
  }
  if (opts.clientInfo) body.client_info = base64url(JSON.stringify({ uid: user.id, utid: user.tenantId }));
  ctx.store.save();
  return { body, refreshRef };
}

function redeemCode(ctx: SandboxContext, app: AppRecord, form: URLSearchParams, record: TokenCallRecord): Issued {
  const codeValue = form.get("code");
  if (!codeValue) fail(AADSTS.missingParameter("code"));
  const code = ctx.codes.get(codeValue);
  if (!code) fail(AADSTS.malformedGrant());
  if (code.clientId.toLowerCase() !== app.clientId.toLowerCase()) fail(AADSTS.codeClientMismatch());
  if (code.redeemed) fail(AADSTS.codeRedeemed());
  if (Date.now() > code.expiresAt) fail(AADSTS.codeExpired());
  const redirectUri = form.get("redirect_uri");
  if (!redirectUri) fail(AADSTS.missingParameter("redirect_uri"));
  if (redirectUri !== code.redirectUri) fail(AADSTS.codeRedirectMismatch(redirectUri, code.redirectUri));
  if (!pkceMatches(code, form.get("code_verifier"))) fail(AADSTS.pkceMismatch());
  code.redeemed = true;
  const user = ctx.store.userById(code.userId);
  if (!user?.accountEnabled) fail(AADSTS.accountDisabled());
  record.user = user.userPrincipalName;
  const policy = conditionalAccessError(ctx, user, {
    authTime: code.authTime,
    issuedAt: new Date().toISOString(),
    resource: code.scope.resource,
  });
  if (policy) fail(policy);
  return issueTokens(ctx, app, user, code.scope, code.permissions, {
    nonce: code.nonce,
    authTime: code.authTime,
    familyId: null,
    clientInfo: form.get("client_info") === "1",
  });
}

function humanDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  return `${String(d).padStart(2, "0")}:${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;
}

function redeemRefreshToken(
  ctx: SandboxContext,
  app: AppRecord,
  ref: TenantRef,
  form: URLSearchParams,
  record: TokenCallRecord,
): Issued {
  const token = form.get("refresh_token");
  if (!token) fail(AADSTS.missingParameter("refresh_token"));
  const stored = ctx.store.data.refreshTokens.find((t) => t.hash === sha256Hex(token));
  if (!stored) {
    record.presentedRefreshToken = {
      fingerprint: tokenFingerprint(token),
      familyId: "",
      sequence: 0,
      newest: false,
      known: false,
    };
    fail(AADSTS.malformedGrant());
  }
  const newestSequence = Math.max(
    ...ctx.store.data.refreshTokens.filter((t) => t.familyId === stored.familyId).map((t) => t.sequence),
  );
  record.presentedRefreshToken = {
    fingerprint: stored.fingerprint,
    familyId: stored.familyId,
    sequence: stored.sequence,
    newest: stored.sequence === newestSequence,
    known: true,
  };
  if (stored.clientId.toLowerCase() !== app.clientId.toLowerCase()) fail(AADSTS.refreshTokenClientMismatch());
  const user = ctx.store.userById(stored.userId);
  if (!user?.accountEnabled) fail(AADSTS.accountDisabled());
  record.user = user.userPrincipalName;
  if (ref.kind === "tenant" && ref.tenant.id !== user.tenantId) fail(AADSTS.malformedGrant());
  if (user.tokensValidFrom && new Date(stored.issuedAt).getTime() < new Date(user.tokensValidFrom).getTime()) {
    fail(
      AADSTS.refreshTokenRevoked(aadTimestamp(new Date(stored.issuedAt)), aadTimestamp(new Date(user.tokensValidFrom))),
    );
  }
  if (stored.inactive) {
    const last = new Date(stored.lastUsedAt ?? stored.issuedAt).getTime();
    // Microsoft reports the inactivity that exceeded the 90-day window; the sandbox adds the real idle time.
    fail(
      AADSTS.refreshTokenInactive(
        aadTimestamp(new Date(stored.issuedAt)),
        humanDuration(90 * 86400 * 1000 + Date.now() - last),
      ),
    );
  }
  const parsed = parseScopeParam(form.get("scope") ?? "openid profile offline_access");
  if (isScopeError(parsed)) {
    if (parsed.kind === "multiple_resources") fail(AADSTS.multipleResources(parsed.scope));
    if (parsed.kind === "unknown_resource") fail(AADSTS.unknownResource(parsed.resource, tenantLabel(ref)));
    if (parsed.kind === "invalid_scope") fail(AADSTS.invalidScope(parsed.scope));
    fail(AADSTS.missingParameter("scope"));
  }
  const policy = conditionalAccessError(ctx, user, {
    authTime: stored.authTime,
    issuedAt: stored.issuedAt,
    resource: parsed.resource,
  });
  if (policy) fail(policy);
  const permissions = expandDefault(parsed, app.requiredScopes);
  if (parsed.resource) {
    const granted = consentedScopes(app, user);
    const kind = parsed.resource;
    const missing = permissions.filter((p) => !granted.has(fullScope(kind, p).toLowerCase()));
    if (missing.length > 0) fail(AADSTS.consentRequired(app.clientId, app.displayName));
  }
  stored.lastUsedAt = new Date().toISOString();
  return issueTokens(ctx, app, user, parsed, permissions, {
    nonce: null,
    authTime: stored.authTime,
    familyId: stored.familyId,
    clientInfo: form.get("client_info") === "1",
  });
}

export async function handleToken(
  ctx: SandboxContext,
  req: IncomingMessage,
  res: ServerResponse,
  ref: TenantRef,
): Promise<void> {
  const form = await readForm(req);
  const correlation = typeof req.headers["client-request-id"] === "string" ? req.headers["client-request-id"] : null;
  const grantType = form.get("grant_type") ?? "";
  const record: TokenCallRecord = {
    at: new Date().toISOString(),
    grantType,
    clientId: form.get("client_id"),
    tenant: ref.segment,
    status: 0,
    error: null,
    errorCode: null,
    user: null,
    scope: form.get("scope"),
    presentedRefreshToken: null,
    issuedRefreshToken: null,
  };
  ctx.tokenCalls.push(record);
  const headers: Record<string, string> = { "x-ms-request-id": newGuid() };
  if (correlation) headers["client-request-id"] = correlation;

  if (grantType === "refresh_token") {
    // Record what was presented even when the endpoint is made to fail.
    const token = form.get("refresh_token");
    if (token) {
      const stored = ctx.store.data.refreshTokens.find((t) => t.hash === sha256Hex(token));
      const newest = stored
        ? Math.max(...ctx.store.data.refreshTokens.filter((t) => t.familyId === stored.familyId).map((t) => t.sequence))
        : 0;
      record.presentedRefreshToken = stored
        ? {
            fingerprint: stored.fingerprint,
            familyId: stored.familyId,
            sequence: stored.sequence,
            newest: stored.sequence === newest,
            known: true,
          }
        : { fingerprint: tokenFingerprint(token), familyId: "", sequence: 0, newest: false, known: false };
    }
  }

  if (await applyTokenFault(ctx, res, record, headers, correlation)) return;

  try {
    if (ref.kind === "unknown") fail(AADSTS.tenantNotFound(ref.segment));
    const app = await authenticateClient(ctx, ref, form, req);
    let issued: Issued;
    if (grantType === "authorization_code") issued = redeemCode(ctx, app, form, record);
    else if (grantType === "refresh_token") issued = redeemRefreshToken(ctx, app, ref, form, record);
    else if (grantType === "client_credentials") {
      const answer = issueClientCredentialsToken(ctx, app, ref, form, record);
      if ("error" in answer) fail(answer.error);
      issued = { body: answer.body, refreshRef: null };
    } else if (!grantType) fail(AADSTS.missingParameter("grant_type"));
    else fail(AADSTS.unsupportedGrantType(grantType));
    record.status = 200;
    record.issuedRefreshToken = issued.refreshRef;
    sendJson(res, 200, issued.body, headers);
  } catch (err) {
    if (!(err instanceof TokenError)) throw err;
    record.status = err.aad.status;
    record.error = err.aad.error;
    record.errorCode = err.aad.code;
    sendJson(res, err.aad.status, tokenErrorBody(err.aad, errorContext(correlation), ctx.origin), headers);
  }
}
