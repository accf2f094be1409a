import { newGuid } from "../util";

/**
 * Microsoft identity platform errors: the AADSTS catalogue the sandbox uses, and the response
 * shapes (token endpoint JSON body; authorize redirect parameters; error page text).
 */

export interface AadError {
  /** OAuth error (`invalid_grant`, `invalid_client`, …). */
  error: string;
  /** AADSTS number. */
  code: number;
  /** Text after `AADSTSnnnn: `. */
  message: string;
  /** HTTP status for the token endpoint. */
  status: number;
  suberror?: string;
}

function e(error: string, code: number, message: string, status = 400, suberror?: string): AadError {
  return suberror ? { error, code, message, status, suberror } : { error, code, message, status };
}

export const AADSTS = {
  tenantNotFound: (tenant: string) =>
    e(
      "invalid_tenant",
      90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
    ),
  unknownClient: (clientId: string, tenantName: string) =>
    e(
      "unauthorized_client",
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenantName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    ),
  redirectUriMismatch: (redirectUri: string, clientId: string) =>
    e(
      "invalid_request",
      50011,
      `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${clientId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.`,
    ),
  notMultiTenant: (clientId: string) =>
    e(
      "invalid_request",
      50194,
      `Application '${clientId}' is not configured as a multi-tenant application. Usage of the /common endpoint is not supported for such applications created after '10/15/2018'. Use a tenant-specific endpoint or configure the application to be multi-tenant.`,
    ),
  missingParameter: (name: string) =>
    e("invalid_request", 900144, `The request body must contain the following parameter: '${name}'.`),
  unsupportedResponseType: () =>
    e("unsupported_response_type", 70005, "response_type 'id_token' is not enabled for the application."),
  invalidScope: (scope: string) =>
    e(
      "invalid_scope",
      70011,
      `The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid.`,
    ),
  /** A client-credentials request whose scope is not one `<resource>/.default` (e.g. a delegated scope). */
  clientCredentialsScope: (scope: string) =>
    e(
      "invalid_scope",
      1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    ),
  multipleResources: (scope: string) =>
    e(
      "invalid_scope",
      28000,
      `Provided value for the input parameter scope is not valid because it contains more than one resource. Scope ${scope} is not valid.`,
    ),
  unknownResource: (resource: string, tenantName: string) =>
    e(
      "invalid_resource",
      500011,
      `The resource principal named ${resource} was not found in the tenant named ${tenantName}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
    ),
  consentRequired: (clientId: string, appName: string, error = "invalid_grant") =>
    e(
      error,
      65001,
      `The user or administrator has not consented to use the application with ID '${clientId}' named '${appName}'. Send an interactive authorization request for this user and resource.`,
      400,
      error === "invalid_grant" ? "consent_required" : undefined,
    ),
  userDeclinedConsent: () => e("access_denied", 65004, "User declined to consent to access the app."),
  userCancelled: () => e("access_denied", 65004, "User declined to consent to access the app."),
  loginRequired: () => e("login_required", 50058, "A silent sign-in request was sent but no user is signed in."),
  interactionRequired: () =>
    e(
      "interaction_required",
      16000,
      "The user must select an account: more than one account is signed in to this browser.",
    ),
  userNotFound: (tenantName: string) =>
    e(
      "invalid_grant",
      50034,
      `The user account does not exist in the ${tenantName} directory. To sign into this application, the account must be added to the directory.`,
    ),
  invalidPassword: () => e("invalid_grant", 50126, "Error validating credentials due to invalid username or password."),
  accountDisabled: () => e("invalid_grant", 50057, "The user account is disabled."),
  userNotInTenant: (upn: string, tenantName: string, clientId: string) =>
    e(
      "invalid_request",
      50020,
      `User account '${upn}' from identity provider does not exist in tenant '${tenantName}' and cannot access the application '${clientId}' in that tenant. The account needs to be added as an external user in the tenant first.`,
    ),
  adminConsentRequired: () => e("invalid_request", 90094, "The grant requires admin permission."),
  missingClientSecret: () =>
    e(
      "invalid_client",
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
      401,
    ),
  invalidClientSecret: (clientId: string) =>
    e(
      "invalid_client",
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
      401,
    ),
  expiredClientSecret: (clientId: string) =>
    e(
      "invalid_client",
      7000222,
      `The provided client secret keys for app '${clientId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`,
      401,
    ),
  // ---- client assertions (certificate credentials) ----
  assertionKeyNotFound: (thumbprint: string, clientId: string) =>
    e(
      "invalid_client",
      700027,
      `Client assertion contains an invalid signature. [Reason - The key was not found., Thumbprint of key used by client: '${thumbprint}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${clientId}'. Review the documentation at https://docs.microsoft.com/en-us/graph/deployments to determine the corresponding service endpoint and https://docs.microsoft.com/en-us/graph/api/application-get?view=graph-rest-1.0&tabs=http to build a query request URL, such as 'https://graph.microsoft.com/beta/applications/${clientId}']`,
      401,
    ),
  assertionBadSignature: (thumbprint: string, start: string, end: string) =>
    e(
      "invalid_client",
      700027,
      `Client assertion contains an invalid signature. [Reason - The provided signature value did not match the expected signature value., Thumbprint of key used by client: '${thumbprint}', Found key 'Start=${start}, End=${end}']`,
      401,
    ),
  assertionOutOfTime: (now: string, validFrom: string, expiry: string) =>
    e(
      "invalid_client",
      700024,
      `Client assertion is not within its valid time range. Current time: ${now}, assertion valid from ${validFrom}, expiry time of assertion ${expiry}. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .`,
      401,
    ),
  assertionAudience: () =>
    e(
      "invalid_client",
      700023,
      "Client assertion audience claim does not match Realm issuer. Review the documentation at https://docs.microsoft.com/azure/active-directory/develop/active-directory-certificate-credentials .",
      401,
    ),
  assertionClientMismatch: () =>
    e("invalid_client", 700021, "Client assertion application identifier doesn't match 'client_id' parameter.", 401),
  assertionMalformed: () => e("invalid_client", 50027, "JWT token is invalid or malformed.", 401),
  unsupportedGrantType: (grantType: string) =>
    e("unsupported_grant_type", 70003, `The app requested an unsupported grant type '${grantType}'.`),
  malformedGrant: () => e("invalid_grant", 9002313, "Invalid request. Request is malformed or invalid."),
  codeRedeemed: () =>
    e(
      "invalid_grant",
      54005,
      "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.",
    ),
  codeExpired: () =>
    e(
      "invalid_grant",
      70008,
      "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.",
    ),
  codeRedirectMismatch: (given: string, original: string) =>
    e(
      "invalid_grant",
      500112,
      `The reply address '${given}' does not match the reply address '${original}' provided when requesting Authorization code.`,
    ),
  codeClientMismatch: () => e("invalid_grant", 70000, "Provided grant is invalid or malformed."),
  pkceMismatch: () =>
    e(
      "invalid_grant",
      501481,
      "The Code_Verifier does not match the code_challenge supplied in the authorization request.",
    ),
  refreshTokenRevoked: (issued: string, validFrom: string) =>
    e(
      "invalid_grant",
      50173,
      `The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password. The grant was issued on '${issued}' and the TokensValidFrom date (before which tokens are not valid) for this user is '${validFrom}'.`,
    ),
  refreshTokenInactive: (issued: string, inactiveFor: string) =>
    e(
      "invalid_grant",
      700082,
      `The refresh token has expired due to inactivity. The token was issued on ${issued} and was inactive for ${inactiveFor}.`,
    ),
  refreshTokenClientMismatch: () => e("invalid_grant", 70000, "Provided grant is invalid or malformed."),
  signInFrequency: (issued: string, maxLifetimeSeconds: number) =>
    e(
      "invalid_grant",
      70043,
      `The refresh token has expired or is invalid due to sign-in frequency checks by conditional access. The token was issued on ${issued} and the maximum allowed lifetime for this request is ${maxLifetimeSeconds}.`,
      400,
      "token_expired",
    ),
  blockedByConditionalAccess: (error = "invalid_grant") =>
    e(
      error,
      53003,
      "Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.",
      400,
      "message_only",
    ),
  mfaRequired: (resourceAppId: string) =>
    e(
      "invalid_grant",
      50076,
      `Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '${resourceAppId}'.`,
      400,
      "basic_action",
    ),
  mfaRegistrationRequired: (resourceAppId: string) =>
    e(
      "invalid_grant",
      50079,
      `Due to a configuration change made by your administrator, or because you moved to a new location, you must enroll in multi-factor authentication to access '${resourceAppId}'.`,
      400,
      "basic_action",
    ),
  applicationDisabled: (clientId: string, appName: string) =>
    e("unauthorized_client", 7000112, `Application '${clientId}'(${appName}) is disabled.`),
  serverError: () => e("temporarily_unavailable", 90033, "A transient error has occurred. Please try again.", 500),
} as const;

export function aadTimestamp(date = new Date()): string {
  return date
    .toISOString()
    .replace("T", " ")
    .replace(/\.\d+Z$/, "Z");
}

export interface ErrorContext {
  traceId: string;
  correlationId: string;
  timestamp: string;
}

export function errorContext(correlationId?: string | null): ErrorContext {
  return { traceId: newGuid(), correlationId: correlationId || newGuid(), timestamp: aadTimestamp() };
}

/** `AADSTSnnnn: message\r\nTrace ID: …\r\nCorrelation ID: …\r\nTimestamp: …` */
export function errorDescription(err: AadError, ctx: ErrorContext): string {
  return `AADSTS${err.code}: ${err.message}\r\nTrace ID: ${ctx.traceId}\r\nCorrelation ID: ${ctx.correlationId}\r\nTimestamp: ${ctx.timestamp}`;
}

/** Token endpoint error body, in Microsoft's shape. */
export function tokenErrorBody(err: AadError, ctx: ErrorContext, origin: string): Record<string, unknown> {
  const body: Record<string, unknown> = {
    error: err.error,
    error_description: errorDescription(err, ctx),
    error_codes: [err.code],
    timestamp: ctx.timestamp,
    trace_id: ctx.traceId,
    correlation_id: ctx.correlationId,
    error_uri: `${origin}/error?code=${err.code}`,
  };
  if (err.suberror) body.suberror = err.suberror;
  return body;
}
