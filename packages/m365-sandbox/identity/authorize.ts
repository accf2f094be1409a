import type { IncomingMessage, ServerResponse } from "node:http";
import type { AuthorizeRequest, LoginTransaction, SandboxContext } from "../context";
import {
  expandDefault,
  isScopeError,
  parseScopeParam,
  splitAuthorizeScopes,
  type ParsedScopes,
  type ScopeError,
} from "../scopes";
import type { AppRecord, UserRecord } from "../store";
import { base64url, normalizeAddress, randomToken } from "../util";
import { AADSTS, errorContext, errorDescription, type AadError } from "./errors";
import { readForm, redirect, sendHtml } from "./http";
import { applicationDisabledError, conditionalAccessError } from "./policies";
import { accountPickerPage, consentPage, errorPage, formPostPage, signInPage } from "./pages";
import { currentSession, sessionAccounts, signInAccount } from "./session";
import { resolveTenant, tenantLabel, type TenantRef } from "./tenants";
import { adminConsentScopes, consentPermissions, missingConsent, requestedConsentScopes, union } from "./consent";

/**
 * `/{tenant}/oauth2/v2.0/authorize`, the sign-in form posts (`/{tenant}/login`) and
 * `/{tenant}/adminconsent`: request validation as Microsoft does it (errors that cannot be sent
 * back safely are shown on an error page; the others are redirected to the app), the account
 * picker, the consent page, the SSO session, and the authorization code.
 */

const TRANSACTION_TTL_MS = 60 * 60 * 1000;
const CODE_TTL_MS = 10 * 60 * 1000;

type Headers = Record<string, string | string[]>;

function correlationIdOf(req: IncomingMessage, params?: URLSearchParams): string | null {
  const header = req.headers["client-request-id"];
  return (typeof header === "string" ? header : null) ?? params?.get("client-request-id") ?? null;
}

function showError(res: ServerResponse, err: AadError, correlationId: string | null, headers: Headers = {}): void {
  const ec = errorContext(correlationId);
  sendHtml(res, 400, errorPage({ code: err.code, message: err.message, ...ec }), headers);
}

function respondToApp(
  res: ServerResponse,
  request: AuthorizeRequest,
  fields: Record<string, string>,
  headers: Headers = {},
): void {
  if (request.responseMode === "form_post") {
    sendHtml(res, 200, formPostPage(request.redirectUri, fields), headers);
    return;
  }
  const qs = new URLSearchParams(fields).toString();
  const sep = request.responseMode === "fragment" ? "#" : request.redirectUri.includes("?") ? "&" : "?";
  redirect(res, `${request.redirectUri}${sep}${qs}`, headers);
}

/** Error redirect to the app: `error`, `error_description`, `error_uri`, `state` (+ subcode). */
function redirectError(
  ctx: SandboxContext,
  res: ServerResponse,
  request: AuthorizeRequest,
  err: AadError,
  extra: Record<string, string> = {},
  headers: Headers = {},
): void {
  const ec = errorContext(null);
  const fields: Record<string, string> = {
    error: err.error,
    error_description: errorDescription(err, ec),
    error_uri: `${ctx.origin}/error?code=${err.code}`,
    ...extra,
  };
  if (request.state !== null) fields.state = request.state;
  respondToApp(res, request, fields, headers);
}

function scopeErrorToAad(err: ScopeError, ref: TenantRef): AadError {
  switch (err.kind) {
    case "missing":
      return AADSTS.missingParameter("scope");
    case "multiple_resources":
      return AADSTS.multipleResources(err.scope);
    case "unknown_resource":
      return AADSTS.unknownResource(err.resource, tenantLabel(ref));
    case "invalid_scope":
      return AADSTS.invalidScope(err.scope);
  }
}

/** Checks that are answered on the sandbox's own page (nothing is sent to an unverified redirect URI). */
function resolveClient(
  ctx: SandboxContext,
  ref: TenantRef,
  params: URLSearchParams,
): { app: AppRecord; redirectUri: string } | { error: AadError } {
  if (ref.kind === "unknown") return { error: AADSTS.tenantNotFound(ref.segment) };
  const clientId = params.get("client_id");
  if (!clientId) return { error: AADSTS.missingParameter("client_id") };
  const app = ctx.store.app(clientId);
  const visible =
    app && (ref.kind === "multi" || app.tenantId === ref.tenant.id || app.signInAudience === "AzureADMultipleOrgs");
  if (!app || !visible) return { error: AADSTS.unknownClient(clientId, tenantLabel(ref)) };
  const disabled = applicationDisabledError(app);
  if (disabled) return { error: disabled };
  if (ref.kind === "multi" && app.signInAudience === "AzureADMyOrg")
    return { error: AADSTS.notMultiTenant(app.clientId) };
  const redirectUri = params.get("redirect_uri");
  if (!redirectUri) return { error: AADSTS.missingParameter("redirect_uri") };
  // Exact, case-sensitive comparison, as Microsoft does.
  if (!app.redirectUris.includes(redirectUri)) return { error: AADSTS.redirectUriMismatch(redirectUri, app.clientId) };
  return { app, redirectUri };
}

function newTransaction(ctx: SandboxContext, request: AuthorizeRequest): LoginTransaction {
  const now = Date.now();
  for (const [id, t] of ctx.transactions) if (now - t.createdAt > TRANSACTION_TTL_MS) ctx.transactions.delete(id);
  const tx: LoginTransaction = { id: randomToken(24), createdAt: now, request, userId: null };
  ctx.transactions.set(tx.id, tx);
  return tx;
}

function loginAction(tx: LoginTransaction): string {
  return `/${encodeURIComponent(tx.request.tenantSegment)}/login`;
}

function showSignIn(res: ServerResponse, tx: LoginTransaction, error?: string, headers: Headers = {}): void {
  sendHtml(
    res,
    error ? 400 : 200,
    signInPage({
      action: loginAction(tx),
      ctx: tx.id,
      appName: tx.request.app.displayName,
      loginHint: tx.request.loginHint ?? "",
      error,
    }),
    headers,
  );
}

function showPicker(res: ServerResponse, tx: LoginTransaction, accounts: UserRecord[], headers: Headers = {}): void {
  sendHtml(
    res,
    200,
    accountPickerPage({
      action: loginAction(tx),
      ctx: tx.id,
      appName: tx.request.app.displayName,
      accounts: accounts.map((u) => ({ userId: u.id, email: u.userPrincipalName, displayName: u.displayName })),
    }),
    headers,
  );
}

function showConsent(
  res: ServerResponse,
  tx: LoginTransaction,
  user: UserRecord,
  scopes: string[],
  headers: Headers = {},
): void {
  const permissions = consentPermissions(tx.request, scopes);
  sendHtml(
    res,
    200,
    consentPage({
      action: loginAction(tx),
      ctx: tx.id,
      appName: tx.request.app.displayName,
      userEmail: user.userPrincipalName,
      permissions,
      offerOrgConsent: user.isAdmin && tx.request.kind === "authorize",
      adminConsent: tx.request.kind === "adminconsent",
    }),
    headers,
  );
}

function clientInfoOf(user: UserRecord): string {
  return base64url(JSON.stringify({ uid: user.id, utid: user.tenantId }));
}

function issueCode(
  ctx: SandboxContext,
  res: ServerResponse,
  tx: LoginTransaction,
  user: UserRecord,
  sessionId: string,
  headers: Headers = {},
): void {
  const r = tx.request;
  const code = `1.${randomToken(48)}`;
  ctx.codes.set(code, {
    code,
    clientId: r.app.clientId,
    redirectUri: r.redirectUri,
    userId: user.id,
    tenantId: user.tenantId,
    scope: r.scope,
    permissions: r.permissions,
    nonce: r.nonce,
    codeChallenge: r.codeChallenge,
    codeChallengeMethod: r.codeChallengeMethod,
    expiresAt: Date.now() + CODE_TTL_MS,
    redeemed: false,
    authTime: Math.floor(Date.now() / 1000),
    sessionId,
  });
  ctx.transactions.delete(tx.id);
  const fields: Record<string, string> = { code };
  if (r.state !== null) fields.state = r.state;
  if (r.clientInfo) fields.client_info = clientInfoOf(user);
  fields.session_state = sessionStateOf(sessionId);
  respondToApp(res, r, fields, headers);
}

function sessionStateOf(sessionId: string): string {
  // A stable GUID-shaped value per browser session, like Microsoft's session_state.
  const hex = Buffer.from(sessionId).toString("hex").padEnd(32, "0").slice(0, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** The user is known (signed in now, picked, or reused silently from the SSO session). */
function proceed(
  ctx: SandboxContext,
  req: IncomingMessage,
  res: ServerResponse,
  tx: LoginTransaction,
  user: UserRecord,
  sessionId: string,
  silent: boolean,
  headers: Headers = {},
): void {
  const r = tx.request;
  tx.userId = user.id;
  if (r.tenantId && user.tenantId !== r.tenantId) {
    showError(
      res,
      AADSTS.userNotInTenant(user.userPrincipalName, tenantLabel(resolveTenant(ctx, r.tenantSegment)), r.app.clientId),
      correlationIdOf(req),
      headers,
    );
    return;
  }
  if (r.app.signInAudience === "AzureADMyOrg" && user.tenantId !== r.app.tenantId) {
    showError(
      res,
      AADSTS.userNotInTenant(user.userPrincipalName, r.app.tenantId, r.app.clientId),
      correlationIdOf(req),
      headers,
    );
    return;
  }
  if (r.kind === "adminconsent") {
    if (!user.isAdmin) {
      showError(res, AADSTS.adminConsentRequired(), correlationIdOf(req), headers);
      return;
    }
    showConsent(res, tx, user, r.permissions, headers);
    return;
  }
  const blocked = conditionalAccessError(ctx, user, {
    authTime: Math.floor(Date.now() / 1000),
    issuedAt: new Date().toISOString(),
    resource: r.scope.resource,
  });
  if (blocked) {
    // After the sign-in, a blocking policy sends the browser back with the error (no code).
    ctx.transactions.delete(tx.id);
    redirectError(ctx, res, r, { ...blocked, error: "access_denied" }, {}, headers);
    return;
  }
  const missing = missingConsent(r, user);
  if (r.prompt === "consent" && !silent) {
    showConsent(res, tx, user, requestedConsentScopes(r), headers);
    return;
  }
  if (missing.length > 0) {
    if (!silent && (r.app.userConsentAllowed || user.isAdmin)) {
      showConsent(res, tx, user, missing, headers);
      return;
    }
    ctx.transactions.delete(tx.id);
    redirectError(
      ctx,
      res,
      r,
      AADSTS.consentRequired(r.app.clientId, r.app.displayName, "consent_required"),
      {},
      headers,
    );
    return;
  }
  issueCode(ctx, res, tx, user, sessionId, headers);
}

/** Decide what the browser sees once the request is valid: SSO, picker, sign-in, or an error. */
function route(ctx: SandboxContext, req: IncomingMessage, res: ServerResponse, tx: LoginTransaction): void {
  const r = tx.request;
  const session = currentSession(ctx, req);
  const accounts = sessionAccounts(ctx, session);
  const hinted = r.loginHint
    ? accounts.find((u) => normalizeAddress(u.userPrincipalName) === normalizeAddress(r.loginHint ?? ""))
    : undefined;
  if (r.kind === "adminconsent") {
    if (accounts.length > 0) showPicker(res, tx, accounts);
    else showSignIn(res, tx);
    return;
  }
  switch (r.prompt) {
    case "login":
      showSignIn(res, tx);
      return;
    case "select_account":
      if (accounts.length > 0) showPicker(res, tx, accounts);
      else showSignIn(res, tx);
      return;
    case "none": {
      const user = hinted ?? (r.loginHint ? undefined : accounts.length === 1 ? accounts[0] : undefined);
      if (user && session) {
        proceed(ctx, req, res, tx, user, session.id, true);
        return;
      }
      ctx.transactions.delete(tx.id);
      redirectError(
        ctx,
        res,
        r,
        accounts.length > 1 && !r.loginHint ? AADSTS.interactionRequired() : AADSTS.loginRequired(),
      );
      return;
    }
    default: {
      // No prompt (or prompt=consent): the SSO session is reused when it identifies one account.
      if (r.loginHint) {
        if (hinted && session) proceed(ctx, req, res, tx, hinted, session.id, false);
        else showSignIn(res, tx);
        return;
      }
      const only = accounts.length === 1 ? accounts[0] : undefined;
      if (only && session) proceed(ctx, req, res, tx, only, session.id, false);
      else if (accounts.length > 1) showPicker(res, tx, accounts);
      else showSignIn(res, tx);
    }
  }
}

export function handleAuthorize(
  ctx: SandboxContext,
  req: IncomingMessage,
  res: ServerResponse,
  ref: TenantRef,
  params: URLSearchParams,
): void {
  const client = resolveClient(ctx, ref, params);
  if ("error" in client) {
    showError(res, client.error, correlationIdOf(req, params));
    return;
  }
  const responseModeParam = params.get("response_mode");
  const responseMode =
    responseModeParam === "form_post" || responseModeParam === "fragment" ? responseModeParam : "query";
  const base: AuthorizeRequest = {
    kind: "authorize",
    tenantSegment: ref.segment,
    tenantId: ref.kind === "tenant" ? ref.tenant.id : null,
    app: client.app,
    redirectUri: client.redirectUri,
    responseMode,
    state: params.get("state"),
    nonce: params.get("nonce"),
    scope: { oidc: [], resource: null, audience: "", permissions: [] },
    permissions: [],
    prompt: params.get("prompt"),
    loginHint: params.get("login_hint"),
    codeChallenge: params.get("code_challenge"),
    codeChallengeMethod: params.get("code_challenge") ? (params.get("code_challenge_method") ?? "plain") : null,
    clientInfo: params.get("client_info") === "1",
  };
  if (params.get("response_type") !== "code") {
    redirectError(ctx, res, base, AADSTS.unsupportedResponseType());
    return;
  }
  const split = splitAuthorizeScopes(params.get("scope"));
  const parsed = parseScopeParam(split.primary);
  if (isScopeError(parsed)) {
    redirectError(ctx, res, base, scopeErrorToAad(parsed, ref));
    return;
  }
  if (base.codeChallengeMethod && base.codeChallengeMethod !== "S256" && base.codeChallengeMethod !== "plain") {
    redirectError(ctx, res, base, {
      error: "invalid_request",
      code: 5000841,
      message: `The code_challenge_method '${base.codeChallengeMethod}' is not supported. Use S256 or plain.`,
      status: 400,
    });
    return;
  }
  const request: AuthorizeRequest = {
    ...base,
    scope: parsed,
    permissions: expandDefault(parsed as ParsedScopes, client.app.requiredScopes),
    ...(split.extra.length ? { extraConsent: split.extra } : {}),
  };
  route(ctx, req, res, newTransaction(ctx, request));
}

export function handleAdminConsent(
  ctx: SandboxContext,
  req: IncomingMessage,
  res: ServerResponse,
  ref: TenantRef,
  params: URLSearchParams,
): void {
  const client = resolveClient(ctx, ref, params);
  if ("error" in client) {
    showError(res, client.error, correlationIdOf(req, params));
    return;
  }
  const request: AuthorizeRequest = {
    kind: "adminconsent",
    tenantSegment: ref.segment,
    tenantId: ref.kind === "tenant" ? ref.tenant.id : null,
    app: client.app,
    redirectUri: client.redirectUri,
    responseMode: "query",
    state: params.get("state"),
    nonce: null,
    scope: { oidc: [], resource: null, audience: "", permissions: [] },
    // v2 admin consent grants the scopes asked for; without `scope`, the app's configured permissions.
    permissions: adminConsentScopes(params.get("scope"), client.app.requiredScopes),
    prompt: null,
    loginHint: params.get("login_hint"),
    codeChallenge: null,
    codeChallengeMethod: null,
    clientInfo: false,
  };
  route(ctx, req, res, newTransaction(ctx, request));
}

/** Form posts of the sign-in, account-picker and consent pages. */
export async function handleLoginPost(ctx: SandboxContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const form = await readForm(req);
  const tx = ctx.transactions.get(form.get("ctx") ?? "");
  if (!tx || Date.now() - tx.createdAt > TRANSACTION_TTL_MS) {
    showError(
      res,
      {
        error: "invalid_request",
        code: 50089,
        message: "Authentication failed due to flow token expired. Sign in again.",
        status: 400,
      },
      null,
    );
    return;
  }
  const r = tx.request;
  const action = form.get("action") ?? "";
  const session = currentSession(ctx, req);

  if (action === "cancel" || action === "consent-cancel") {
    ctx.transactions.delete(tx.id);
    const extra: Record<string, string> = { error_subcode: "cancel" };
    if (r.kind === "adminconsent") extra.admin_consent = "False";
    redirectError(
      ctx,
      res,
      r,
      action === "consent-cancel" ? AADSTS.userDeclinedConsent() : AADSTS.userCancelled(),
      extra,
    );
    return;
  }

  if (action === "another") {
    showSignIn(res, tx);
    return;
  }

  if (action === "signin") {
    const login = (form.get("login") ?? "").trim();
    const password = form.get("passwd") ?? "";
    const user = ctx.store.userByUpn(login);
    if (!user) {
      showSignIn(
        res,
        tx,
        "This username may be incorrect. Make sure you typed it correctly. Otherwise, contact your admin. (AADSTS50034)",
      );
      return;
    }
    if (!user.accountEnabled) {
      showSignIn(
        res,
        tx,
        "Your account has been locked. Contact your support person to unlock it, then try again. (AADSTS50057)",
      );
      return;
    }
    if (user.password !== password) {
      showSignIn(
        res,
        tx,
        "Your account or password is incorrect. If you don't remember your password, reset it now. (AADSTS50126)",
      );
      return;
    }
    const signed = signInAccount(ctx, req, user);
    proceed(ctx, req, res, tx, user, signed.session.id, false, { "set-cookie": signed.setCookie });
    return;
  }

  if (action.startsWith("pick:")) {
    const userId = action.slice("pick:".length);
    const user = sessionAccounts(ctx, session).find((u) => u.id === userId);
    if (!user || !session) {
      showSignIn(res, tx);
      return;
    }
    proceed(ctx, req, res, tx, user, session.id, false);
    return;
  }

  if (action === "consent-accept") {
    const user = tx.userId ? ctx.store.userById(tx.userId) : undefined;
    if (!user || !session) {
      showSignIn(res, tx);
      return;
    }
    const app = r.app;
    const stored = ctx.store.app(app.clientId);
    if (!stored) {
      showError(res, AADSTS.unknownClient(app.clientId, r.tenantSegment), null);
      return;
    }
    if (r.kind === "adminconsent") {
      stored.adminConsentedScopes = union(stored.adminConsentedScopes, r.permissions);
      // "Grant admin consent" also grants the configured application permissions (the app-only `roles`).
      stored.consentedAppPermissions = union(stored.consentedAppPermissions ?? [], stored.appPermissions ?? []);
      ctx.store.save();
      ctx.transactions.delete(tx.id);
      const fields: Record<string, string> = {
        admin_consent: "True",
        tenant: user.tenantId,
        scope: r.permissions.join(" "),
      };
      if (r.state !== null) fields.state = r.state;
      respondToApp(res, r, fields);
      return;
    }
    const scopes = requestedConsentScopes(r);
    if (form.get("org") === "1" && user.isAdmin)
      stored.adminConsentedScopes = union(stored.adminConsentedScopes, scopes);
    else stored.userConsents[user.id] = union(stored.userConsents[user.id] ?? [], scopes);
    ctx.store.save();
    tx.request = { ...r, app: stored };
    issueCode(ctx, res, tx, user, session.id);
    return;
  }

  showSignIn(res, tx, "Something went wrong. Try again.");
}
