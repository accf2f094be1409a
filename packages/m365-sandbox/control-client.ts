import { request } from "node:https";
import { tokenFingerprint } from "./util";
import type { RefreshTokenRef, TokenCallRecord } from "./context";
import { AppOnlyControl } from "./control-app-only-client";

export type { AppOnlyInfo, ExchangeServicePrincipalInfo } from "./control-app-only-client";

/**
 * Typed client of the sandbox's control API (`/_sandbox/…` on the identity server, loopback only).
 * Tests get one from `startSandbox()`; another process can build one with the authority origin and
 * the sandbox CA certificate.
 */

export interface ControlInfo {
  authorityOrigin: string;
  smtp: { host: string; port: number };
  imap: { host: string; port: number };
  dataDir: string;
  caCertFile: string;
  caBundleFile: string;
}

export interface TenantInfo {
  id: string;
  displayName: string;
  domains: string[];
  smtpClientAuthenticationDisabled: boolean;
}

export interface UserInfo {
  id: string;
  tenantId: string;
  email: string;
  displayName: string;
  isAdmin: boolean;
  accountEnabled: boolean;
  tokensValidFrom: string | null;
}

export interface MailboxInfo {
  email: string;
  tenantId: string;
  type: "user" | "shared";
  owner: string | null;
  displayName: string;
  /** null: follows the tenant. */
  smtpClientAuthenticationDisabled: boolean | null;
  smtpAuthEnabled: boolean;
  imapEnabled: boolean;
  passwordAuthEnabled: boolean;
  fullAccess: string[];
  sendAs: string[];
  folders: Array<{ name: string; messages: number }>;
}

export interface AppInfo {
  clientId: string;
  tenantId: string;
  displayName: string;
  signInAudience: "AzureADMyOrg" | "AzureADMultipleOrgs";
  redirectUris: string[];
  secrets: Array<{ id: string; displayName: string; expiresAt: string; hint: string }>;
  certificates: AppCertificateInfo[];
  requiredScopes: string[];
  userConsentAllowed: boolean;
  adminConsentedScopes: string[];
  userConsents: Record<string, string[]>;
}

/** A registered certificate credential (its public part). */
export interface AppCertificateInfo {
  keyId: string;
  displayName: string;
  /** Hex, upper case. */
  thumbprintSha1: string;
  thumbprintSha256: string;
  startDateTime: string;
  endDateTime: string;
}

export interface RegisteredApp extends AppInfo {
  secretId: string;
  secretValue: string;
}

export interface MailMessage {
  uid: number;
  flags: string[];
  internalDate: string;
  subject: string | null;
  from: string | null;
  to: string | null;
  messageId: string | null;
  raw: string;
}

export interface OutboxEntry {
  id: string;
  receivedAt: string;
  mailFrom: string;
  rcptTo: string[];
  authenticatedAs: string;
  raw: string;
}

// The token log's records as the sandbox keeps them (one definition, shared with the server side).
export type { RefreshTokenRef } from "./context";
export type TokenCall = TokenCallRecord;

export interface RefreshTokenInfo extends RefreshTokenRef {
  user: string;
  clientId: string;
  issuedAt: string;
  lastUsedAt: string | null;
  inactive: boolean;
}

export interface Latency {
  http: number;
  smtp: number;
  imap: number;
}

export type TokenEndpointMode = "none" | "error500" | "hang" | "delay" | "reset" | "html" | "truncated";

export interface RegisterAppInput {
  clientId?: string;
  displayName?: string;
  tenantId?: string;
  redirectUris: string[];
  /** Secret value (default: random). */
  secretValue?: string;
  /** ISO date; a past date gives AADSTS7000222. */
  secretExpiresAt?: string;
  /** Admin consent granted for requiredScopes (default true). */
  consentGranted?: boolean;
  /** Whether users may consent themselves (default true); false gives AADSTS65001 without admin consent. */
  userConsentAllowed?: boolean;
  requiredScopes?: string[];
  signInAudience?: "AzureADMyOrg" | "AzureADMultipleOrgs";
}

export type { GraphCallRecord as GraphCall } from "./graph/send-mail";
import type { GraphCallRecord as GraphCall } from "./graph/send-mail";

export interface ControlClientOptions {
  /** `https://127.0.0.1:PORT` */
  origin: string;
  /** PEM of the sandbox CA (or a bundle containing it). */
  ca: string;
}

export class ControlApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "ControlApiError";
  }
}

/** The fingerprint the control API reports for a refresh token (never the token itself). */
export function refreshTokenFingerprint(token: string): string {
  return tokenFingerprint(token);
}

const enc = encodeURIComponent;

export class SandboxControl {
  /** App-only access: application permissions + consent, Exchange service principals, mailbox grants. */
  readonly appOnly: AppOnlyControl;

  constructor(private readonly options: ControlClientOptions) {
    this.appOnly = new AppOnlyControl((method, path, body) => this.call(method, path, body));
  }

  private call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const url = new URL(`/_sandbox/${path}`, this.options.origin);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise<T>((resolve, reject) => {
      const req = request(
        url,
        {
          method,
          ca: this.options.ca,
          headers: payload
            ? { "content-type": "application/json", "content-length": Buffer.byteLength(payload).toString() }
            : {},
          agent: false,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            let json: unknown;
            try {
              json = text ? JSON.parse(text) : undefined;
            } catch {
              reject(new ControlApiError(res.statusCode ?? 0, `non-JSON answer: ${text.slice(0, 200)}`));
              return;
            }
            if ((res.statusCode ?? 500) >= 400) {
              const msg =
                json && typeof json === "object" && "error" in json ? String((json as { error: unknown }).error) : text;
              reject(new ControlApiError(res.statusCode ?? 0, msg));
              return;
            }
            resolve(json as T);
          });
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(payload);
    });
  }

  info(): Promise<ControlInfo> {
    return this.call("GET", "info");
  }
  state(): Promise<{ tenants: TenantInfo[]; users: UserInfo[]; mailboxes: MailboxInfo[]; apps: AppInfo[] }> {
    return this.call("GET", "state");
  }
  /** Back to the seed data; forget codes, sessions, faults, latency and the call log. */
  reset(options: { appRedirectUris?: string[] } = {}): Promise<{ ok: true }> {
    return this.call("POST", "reset", options);
  }

  // tenants, users, mailboxes, delegations
  addTenant(input: {
    id?: string;
    displayName?: string;
    domains: string[];
    smtpClientAuthenticationDisabled?: boolean;
  }): Promise<TenantInfo> {
    return this.call("POST", "tenants", input);
  }
  /** Tenant-wide SMTP AUTH switch (Set-TransportConfig -SmtpClientAuthenticationDisabled). */
  setTenantSmtpAuth(tenant: string, enabled: boolean): Promise<TenantInfo> {
    return this.call("PATCH", `tenants/${enc(tenant)}`, { smtpClientAuthenticationDisabled: !enabled });
  }
  addUser(input: {
    email: string;
    password: string;
    displayName?: string;
    isAdmin?: boolean;
    tenantId?: string;
    id?: string;
    mailbox?: boolean;
  }): Promise<UserInfo> {
    return this.call("POST", "users", input);
  }
  updateUser(
    email: string,
    input: { password?: string; accountEnabled?: boolean; isAdmin?: boolean },
  ): Promise<UserInfo> {
    return this.call("PATCH", `users/${enc(email)}`, input);
  }
  /** revokeSignInSessions: every refresh token issued so far fails with AADSTS50173; SSO sessions end. */
  revokeRefreshTokens(email: string): Promise<UserInfo> {
    return this.call("POST", `users/${enc(email)}/revoke-sessions`, {});
  }
  /** Mark refresh tokens inactive (AADSTS700082): all of a user's, one by fingerprint, or all. */
  markRefreshTokensInactive(filter: { user?: string; fingerprint?: string } = {}): Promise<{ count: number }> {
    return this.call("POST", "refresh-tokens/inactive", filter);
  }
  refreshTokens(): Promise<RefreshTokenInfo[]> {
    return this.call("GET", "refresh-tokens");
  }
  addSharedMailbox(input: { email: string; displayName?: string; tenantId?: string }): Promise<MailboxInfo> {
    return this.call("POST", "mailboxes", input);
  }
  mailbox(email: string): Promise<MailboxInfo> {
    return this.call("GET", `mailboxes/${enc(email)}`);
  }
  /** Per-mailbox SMTP AUTH: true/false override the tenant, null follows it. */
  setMailboxSmtpAuth(email: string, enabled: boolean | null): Promise<MailboxInfo> {
    return this.call("PATCH", `mailboxes/${enc(email)}`, {
      smtpClientAuthenticationDisabled: enabled === null ? null : !enabled,
    });
  }
  setMailboxImap(email: string, enabled: boolean): Promise<MailboxInfo> {
    return this.call("PATCH", `mailboxes/${enc(email)}`, { imapEnabled: enabled });
  }
  /** Sandbox switch for the app's Password mode: AUTH LOGIN (SMTP) and LOGIN / AUTHENTICATE PLAIN (IMAP) with the owner's password. */
  setMailboxPasswordAuth(email: string, enabled: boolean): Promise<MailboxInfo> {
    return this.call("PATCH", `mailboxes/${enc(email)}`, { passwordAuthEnabled: enabled });
  }
  /** Add-MailboxPermission -AccessRights FullAccess / Add-RecipientPermission -AccessRights SendAs. */
  setMailboxPermission(
    mailbox: string,
    user: string,
    rights: { fullAccess?: boolean; sendAs?: boolean },
  ): Promise<MailboxInfo> {
    return this.call("POST", `mailboxes/${enc(mailbox)}/permissions`, { user, ...rights });
  }
  messages(mailbox: string, folder = "INBOX"): Promise<MailMessage[]> {
    return this.call("GET", `mailboxes/${enc(mailbox)}/messages?folder=${enc(folder)}`);
  }
  /** Put a message straight into a mailbox folder (e.g. an approval reply waiting to be read). */
  deliver(mailbox: string, raw: string, options: { folder?: string; flags?: string[] } = {}): Promise<{ uid: number }> {
    return this.call("POST", `mailboxes/${enc(mailbox)}/messages`, { raw, ...options });
  }
  outbox(): Promise<OutboxEntry[]> {
    return this.call("GET", "outbox");
  }

  // app registrations
  registerApp(input: RegisterAppInput): Promise<RegisteredApp> {
    return this.call("POST", "apps", input);
  }
  app(clientId: string): Promise<AppInfo> {
    return this.call("GET", `apps/${enc(clientId)}`);
  }
  updateApp(
    clientId: string,
    input: {
      redirectUris?: string[];
      userConsentAllowed?: boolean;
      consentGranted?: boolean;
      signInAudience?: "AzureADMyOrg" | "AzureADMultipleOrgs";
      requiredScopes?: string[];
    },
  ): Promise<AppInfo> {
    return this.call("PATCH", `apps/${enc(clientId)}`, input);
  }
  addAppSecret(
    clientId: string,
    input: { value?: string; expiresAt?: string; replace?: boolean } = {},
  ): Promise<{ id: string; value: string; expiresAt: string }> {
    return this.call("POST", `apps/${enc(clientId)}/secrets`, input);
  }
  /** Upload a certificate's public part (PEM) under Certificates & secrets → Certificates. */
  addAppCertificate(clientId: string, input: { pem: string; displayName?: string }): Promise<AppCertificateInfo> {
    return this.call("POST", `apps/${enc(clientId)}/certificates`, input);
  }
  appCertificates(clientId: string): Promise<AppCertificateInfo[]> {
    return this.call("GET", `apps/${enc(clientId)}/certificates`);
  }
  removeAppCertificate(
    clientId: string,
    which: { keyId?: string; thumbprintSha256?: string },
  ): Promise<{ removed: number }> {
    return this.call("DELETE", `apps/${enc(clientId)}/certificates`, which);
  }
  /** Remove a user's consent (or, without user, every grant including admin consent). */
  revokeConsent(clientId: string, user?: string): Promise<AppInfo> {
    return this.call("POST", `apps/${enc(clientId)}/revoke-consent`, user ? { user } : {});
  }

  // behaviour
  setLatency(latency: Partial<Latency>): Promise<Latency> {
    return this.call("PUT", "latency", latency);
  }
  /**
   * Make the token endpoint misbehave (for `count` calls, or until set back to 'none'): answer 500,
   * hang, answer after `delayMs`, reset the connection, send an HTML page or a truncated JSON body.
   */
  setTokenEndpoint(
    mode: TokenEndpointMode,
    count?: number,
    options: { delayMs?: number } = {},
  ): Promise<{ mode: TokenEndpointMode; remaining: number | null }> {
    return this.call("PUT", "token-endpoint", { mode, ...(count === undefined ? {} : { count }), ...options });
  }
  /**
   * Make SMTP misbehave (for `count` sessions/messages, or until 'none'): `unavailable` (421 4.3.2 at
   * the greeting), `busy` (451 4.7.500 to MAIL FROM), `throttled` (432 4.3.2 at the end of DATA),
   * `refused` (554 5.2.0 at the end of DATA).
   */
  setSmtpFault(
    mode: "none" | "unavailable" | "busy" | "throttled" | "refused",
    count?: number,
  ): Promise<{ mode: string; remaining: number | null }> {
    return this.call("PUT", "smtp-fault", { mode, ...(count === undefined ? {} : { count }) });
  }
  /** SMTP sessions accepted since the start or the last reset. */
  /** Graph faults: `throttled` (429 + Retry-After) or `unavailable` (503) for `count` requests, or until "none". */
  setGraphFault(
    mode: "none" | "throttled" | "unavailable",
    options: { count?: number; retryAfterSeconds?: number } = {},
  ): Promise<unknown> {
    return this.call("PUT", "graph-fault", { mode, ...options });
  }
  /** Microsoft Graph requests the sandbox answered. */
  graphCalls(): Promise<GraphCall[]> {
    return this.call("GET", "graph-calls");
  }
  clearGraphCalls(): Promise<{ ok: true }> {
    return this.call("DELETE", "graph-calls");
  }
  smtpSessions(): Promise<{ sessions: number }> {
    return this.call("GET", "smtp-sessions");
  }
  /** The next ID tokens carry these claims instead of the user's own (`{}` to stop). */
  setIdTokenClaims(claims: Partial<Record<"tid" | "email" | "preferred_username", string>>): Promise<unknown> {
    return this.call("PUT", "id-token-claims", claims);
  }
  /**
   * Conditional Access for token requests (`{}` to lift it): `block` → AADSTS53003; `requireMfa` →
   * 50076 / 50079 for every sign-in made before the call returns; `signInFrequencySeconds` → 70043
   * for refresh tokens of an older sign-in. `users` (sign-in names) limits it; default every user.
   */
  setConditionalAccess(policy: {
    users?: string[];
    block?: boolean;
    requireMfa?: 50076 | 50079 | null;
    signInFrequencySeconds?: number | null;
  }): Promise<unknown> {
    return this.call("PUT", "conditional-access", policy);
  }
  /** Disable or enable an app's service principal (disabled: AADSTS7000112 at sign-in and token). */
  setAppEnabled(clientId: string, enabled: boolean): Promise<{ clientId: string; enabled: boolean }> {
    return this.call("PUT", `apps/${enc(clientId)}/enabled`, { enabled });
  }
  setAccessTokenLifetime(seconds: number): Promise<{ seconds: number }> {
    return this.call("PUT", "access-token-lifetime", { seconds });
  }
  tokenCalls(): Promise<TokenCall[]> {
    return this.call("GET", "token-calls");
  }
  clearTokenCalls(): Promise<{ ok: true }> {
    return this.call("DELETE", "token-calls");
  }
  /** Sign every browser out (forget all SSO sessions). */
  clearSessions(): Promise<{ ok: true }> {
    return this.call("POST", "sessions/clear", {});
  }
  /**
   * Mint an access token without the browser flow (for SMTP/IMAP tests). `scopes` are full scope
   * strings; a negative `expiresInSeconds` gives an expired token.
   */
  issueAccessToken(input: {
    user: string;
    scopes: string[];
    audience?: string;
    expiresInSeconds?: number;
    clientId?: string;
  }): Promise<{ accessToken: string }> {
    return this.call("POST", "access-tokens", input);
  }
}
