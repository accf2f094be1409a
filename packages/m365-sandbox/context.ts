import type { ServerResponse } from "node:http";
import type { SandboxTls } from "./ca";
import type { GraphCallRecord } from "./graph/send-mail";
import type { ConditionalAccessPolicy } from "./identity/policies";
import type { ParsedScopes } from "./scopes";
import type { AppRecord, Store } from "./store";
import type { TokenSigner } from "./tokens";

/**
 * Everything the sandbox's servers share: the persisted store, the signing key, the TLS material,
 * and the in-memory runtime state (codes, browser sessions, fault and latency settings, call log).
 */

export interface LatencySettings {
  /** Delay before each identity-platform HTTP response (control API excluded), ms. */
  http: number;
  /** Delay before each SMTP reply to a client command (greeting, AUTH, MAIL, RCPT, end of DATA), ms. */
  smtp: number;
  /** Delay before each IMAP response (greeting and every tagged reply), ms. */
  imap: number;
}

/**
 * How the token endpoint misbehaves: `error500` (AADSTS90033), `hang` (never answers), `delay`
 * (answers normally after `delayMs`), `reset` (drops the connection), `html` (a 200 text/html page,
 * as a captive portal or proxy sends), `truncated` (a 200 JSON body cut in half).
 */
export type TokenEndpointFaultMode = "none" | "error500" | "hang" | "delay" | "reset" | "html" | "truncated";

export interface TokenEndpointFault {
  mode: TokenEndpointFaultMode;
  /** How many calls still fail; null means every call until switched off. */
  remaining: number | null;
  /** `delay`: how long each answer is held back, ms. */
  delayMs?: number;
}

/** Claims the next ID tokens carry instead of the user's own (tests of the app's identity checks). */
export type IdTokenClaimOverrides = Partial<Record<"tid" | "email" | "preferred_username", string>>;

export interface RefreshTokenRef {
  fingerprint: string;
  familyId: string;
  sequence: number;
}

export interface TokenCallRecord {
  at: string;
  grantType: string;
  clientId: string | null;
  tenant: string;
  /** Status of the answer (200, 400, 401, 500) or 0 when the call was left hanging. */
  status: number;
  error: string | null;
  errorCode: number | null;
  user: string | null;
  scope: string | null;
  /** The refresh token this call presented (refresh_token grant). */
  presentedRefreshToken: (RefreshTokenRef & { newest: boolean; known: boolean }) | null;
  /** The refresh token this call returned. */
  issuedRefreshToken: RefreshTokenRef | null;
}

export interface AuthorizeRequest {
  kind: "authorize" | "adminconsent";
  /** The tenant path segment as requested (GUID, domain, `common`, `organizations`). */
  tenantSegment: string;
  /** The resolved tenant id, null for `common` / `organizations`. */
  tenantId: string | null;
  app: AppRecord;
  redirectUri: string;
  responseMode: "query" | "form_post" | "fragment";
  state: string | null;
  nonce: string | null;
  scope: ParsedScopes;
  /** Permissions (canonical names, `.default` expanded) of the resource asked for. */
  permissions: string[];
  /** Scopes of other resources the user consents to at the same time (full strings; `extraScopesToConsent`). */
  extraConsent?: string[];
  prompt: string | null;
  loginHint: string | null;
  codeChallenge: string | null;
  codeChallengeMethod: string | null;
  clientInfo: boolean;
}

export interface LoginTransaction {
  id: string;
  createdAt: number;
  request: AuthorizeRequest;
  /** The user once identified (signed in or picked). */
  userId: string | null;
}

export interface AuthCode {
  code: string;
  clientId: string;
  redirectUri: string;
  userId: string;
  tenantId: string;
  scope: ParsedScopes;
  permissions: string[];
  nonce: string | null;
  codeChallenge: string | null;
  codeChallengeMethod: string | null;
  expiresAt: number;
  redeemed: boolean;
  authTime: number;
  sessionId: string;
}

export interface SsoSession {
  id: string;
  /** Accounts signed in to this browser, most recent first. */
  accounts: Array<{ userId: string; signedInAt: number }>;
}

/**
 * SMTP faults (the relay's tests): `unavailable` — the greeting is `421 4.3.2 Service not available`;
 * `busy` — MAIL FROM gets `451 4.7.500 Server busy`; `throttled` — the end of DATA gets `432 4.3.2
 * STOREDRV.ClientSubmit; sender thread limit exceeded`; `refused` — the end of DATA gets `554 5.2.0
 * STOREDRV.Submission.Exception:SubmissionQuotaExceededException`. For `remaining` messages/sessions, or until 'none'.
 */
export type SmtpFaultMode = "none" | "unavailable" | "busy" | "throttled" | "refused";
export interface SmtpFault {
  mode: SmtpFaultMode;
  remaining: number | null;
}

/**
 * Graph faults: `throttled` — `sendMail` gets `429` with `Retry-After` (ApplicationThrottled);
 * `unavailable` — `503 ServiceUnavailable`. For `remaining` requests, or until 'none'.
 */
export type GraphFaultMode = "none" | "throttled" | "unavailable";
export interface GraphFault {
  mode: GraphFaultMode;
  remaining: number | null;
  retryAfterSeconds: number;
}

export class SandboxContext {
  /** `https://127.0.0.1:PORT`, known once the identity server listens. */
  origin = "";
  /** Where the mail servers listen, known once they do. */
  endpoints = { host: "127.0.0.1", smtpPort: 0, imapPort: 0 };
  /** Called by the control API's reset to rebuild the seed data. */
  reseed: (appRedirectUris?: string[]) => void = () => undefined;
  latency: LatencySettings = { http: 0, smtp: 0, imap: 0 };
  tokenFault: TokenEndpointFault = { mode: "none", remaining: null };
  smtpFault: SmtpFault = { mode: "none", remaining: null };
  graphFault: GraphFault = { mode: "none", remaining: null, retryAfterSeconds: 1 };
  /** Microsoft Graph requests (graph/send-mail.ts), for tests. */
  graphCalls: GraphCallRecord[] = [];
  /** SMTP sessions accepted (the relay's benchmark counts Microsoft sessions opened). */
  smtpSessions = 0;
  idTokenClaims: IdTokenClaimOverrides | null = null;
  /** Conditional Access for token requests (identity/policies.ts); null = none. */
  conditionalAccess: ConditionalAccessPolicy | null = null;
  tokenCalls: TokenCallRecord[] = [];
  accessTokenLifetimeSeconds = 3599;
  readonly codes = new Map<string, AuthCode>();
  readonly transactions = new Map<string, LoginTransaction>();
  readonly sessions = new Map<string, SsoSession>();
  /** Token-endpoint responses deliberately left hanging; ended on stop. */
  readonly hanging = new Set<ServerResponse>();

  constructor(
    readonly store: Store,
    readonly signer: TokenSigner,
    readonly tls: SandboxTls,
  ) {}

  /** Forget runtime state (used by the control API's reset). */
  resetRuntime(): void {
    this.latency = { http: 0, smtp: 0, imap: 0 };
    this.tokenFault = { mode: "none", remaining: null };
    this.smtpFault = { mode: "none", remaining: null };
    this.graphFault = { mode: "none", remaining: null, retryAfterSeconds: 1 };
    this.graphCalls = [];
    this.smtpSessions = 0;
    this.idTokenClaims = null;
    this.conditionalAccess = null;
    this.tokenCalls = [];
    this.accessTokenLifetimeSeconds = 3599;
    this.codes.clear();
    this.transactions.clear();
    this.sessions.clear();
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
  }

  /** Whether the SMTP fault `mode` applies now (counting it down when it does). */
  smtpFaultNow(mode: Exclude<SmtpFaultMode, "none">): boolean {
    const f = this.smtpFault;
    if (f.mode !== mode) return false;
    if (f.remaining !== null) {
      f.remaining -= 1;
      if (f.remaining <= 0) this.smtpFault = { mode: "none", remaining: null };
    }
    return true;
  }

  /** The Graph fault that applies to this request, if any (counting it down). */
  graphFaultNow(): { mode: Exclude<GraphFaultMode, "none">; retryAfterSeconds: number } | null {
    const f = this.graphFault;
    if (f.mode === "none") return null;
    const mode = { mode: f.mode, retryAfterSeconds: f.retryAfterSeconds };
    if (f.remaining !== null) {
      f.remaining -= 1;
      if (f.remaining <= 0) this.graphFault = { mode: "none", remaining: null, retryAfterSeconds: 1 };
    }
    return mode;
  }

  issuer(tenantId: string): string {
    return `${this.origin}/${tenantId}/v2.0`;
  }

  /** Issuer of access tokens (v1 shape, like Exchange Online's: `https://sts.windows.net/{tid}/`). */
  accessTokenIssuer(tenantId: string): string {
    return `${this.origin}/${tenantId}/`;
  }
}
