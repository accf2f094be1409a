import "server-only";
import { createHash } from "node:crypto";
import { AuthError, type ConfidentialClientApplication } from "@azure/msal-node";
import { markAppFailing, recordAppSuccess } from "@/lib/microsoft/app-connection-repository";
import { exchangeAppScope, graphAppScope, resolveCloud } from "@/lib/microsoft/client-safe/clouds";
import { GRAPH_APPLICATION_PERMISSION } from "@/lib/microsoft/client-safe/smtp-transport";
import { roleMailbox, ROLE_LABELS, type MailRole } from "@/lib/microsoft/client-safe/mail-roles";
import { translateMsalError } from "@/lib/microsoft/errors/msal";
import { IdentityNetworkError, translateNetworkFailure } from "@/lib/microsoft/errors/network";
import { MicrosoftTokenError, NotConnectedError } from "@/lib/microsoft/errors/token-errors";
import type { TranslatedError } from "@/lib/microsoft/errors/translate";
import { adminConsentUrl } from "@/lib/microsoft/microsoft-links";
import { createMsalClient, type MicrosoftConfig } from "@/lib/microsoft/msal-client";
import { identityNetworkClient, type IdentityNetwork } from "@/lib/microsoft/network-client";
import { getGeneralSettings } from "@/lib/settings/general-repository";
import { APPLICATION_PERMISSIONS, applicationProblems } from "@/lib/settings/client-safe/requirements";
import { countTokenRefresh } from "@/lib/metrics/metrics";

/**
 * App-only (Application) tokens: MSAL `acquireTokenByClientCredential` for the cloud's Exchange
 * resource + `/.default`. No user, no refresh token: the token is the app's, and MSAL keeps it in
 * its in-memory cache until it nears expiry. So the MSAL client (and its cache) outlives a single
 * call: one per app registration (authority, client id, credential) per process. A warm Test Email
 * makes no token call. The token's `roles` claim is read before it is used: a token without the
 * role's application permission (no admin consent) is refused here, before Exchange answers
 * `AUTHENTICATE failed`.
 */

export type AppTokenFacts = { clientId: string; tenantId: string; roles: string[]; adminConsentUrl: string | null };

/** A token without the application permission the role needs. */
export class AppRoleMissingError extends MicrosoftTokenError {}

type CachedClient = { msal: ConfidentialClientApplication; network: IdentityNetwork };
const globalForApp = globalThis as unknown as { mailConnectAppClients?: Map<string, CachedClient> };
const MAX_CLIENTS = 8;

/** The long-lived MSAL client of an app registration (its credential part comes from the one MSAL config). */
function appClient(config: MicrosoftConfig): CachedClient {
  globalForApp.mailConnectAppClients ??= new Map();
  const clients = globalForApp.mailConnectAppClients;
  // Everything MSAL is built from but the settings row: the authority, the client id and its credential.
  const { settings: _settings, ...identity } = config;
  const key = createHash("sha256").update(JSON.stringify(identity)).digest("hex");
  let cached = clients.get(key);
  if (!cached) {
    if (clients.size >= MAX_CLIENTS) clients.clear(); // settings changed many times: start over
    const network = identityNetworkClient();
    cached = { msal: createMsalClient(config, undefined, network), network };
    clients.set(key, cached);
  }
  return cached;
}

/** Forget the cached app clients (tests; a changed credential gets a new client anyway). */
export function resetAppClients(): void {
  globalForApp.mailConnectAppClients?.clear();
}

/** The `roles` claim of an access token (a JWT); [] when it has none or is not a JWT. */
export function tokenRoles(accessToken: string): string[] {
  try {
    const payload = JSON.parse(Buffer.from(accessToken.split(".")[1] ?? "", "base64url").toString("utf8")) as {
      roles?: unknown;
    };
    return Array.isArray(payload.roles) ? payload.roles.map(String) : [];
  } catch {
    return [];
  }
}

/** Microsoft's refusal of an app-only token request, in plain language (invalid_scope gets its own). */
export function translateAppTokenError(
  error: unknown,
  ctx: { clientId: string; tenant: string; scope: string; adminConsentUrl: string | null },
  network?: IdentityNetwork,
): TranslatedError {
  const t = translateMsalError(
    error,
    { clientId: ctx.clientId, tenant: ctx.tenant, adminConsentUrl: ctx.adminConsentUrl },
    network,
  );
  if (error instanceof AuthError && error.errorCode === "invalid_scope") {
    return {
      ...t,
      summary: `Microsoft refused the scope of the app-only token request (${t.code ?? "invalid_scope"}): client credentials accept only "<resource>/.default", not a delegated scope.`,
      fix: `An Application connection asks for ${ctx.scope}. A delegated scope such as …/SMTP.Send or …/IMAP.AccessAsUser.All belongs to a Delegated connection: check the cloud (and, for Custom, the Outlook resource: the resource alone, e.g. https://outlook.office365.com), or switch the role to Delegated.`,
      needsReauth: false,
    };
  }
  return { ...t, needsReauth: false };
}

function missingRoleError(
  role: MailRole,
  roles: string[],
  config: MicrosoftConfig,
  consentUrl: string | null,
): TranslatedError {
  const needed = APPLICATION_PERMISSIONS[role];
  return {
    code: "app_role_missing",
    summary: `The app-only token has no ${needed} role (roles: ${roles.join(", ") || "none"}): the application permission is missing or has no admin consent, and Exchange would answer ${role === "smtp" ? "535 5.7.3" : "NO AUTHENTICATE failed."}`,
    fix: `In Azure: App registrations → ${config.clientId} → API permissions → Add a permission → APIs my organization uses → Office 365 Exchange Online → Application permissions → ${needed}, then "Grant admin consent" (or open the admin consent link as an administrator).`,
    microsoftText: null,
    correlationId: null,
    needsReauth: false,
    ...(consentUrl ? { link: { href: consentUrl, label: "Grant admin consent" } } : {}),
  };
}

function graphMissingRoleError(roles: string[], config: MicrosoftConfig, consentUrl: string | null): TranslatedError {
  return {
    code: "app_role_missing",
    summary: `The app-only Microsoft Graph token has no ${GRAPH_APPLICATION_PERMISSION} role (roles: ${roles.join(", ") || "none"}): the application permission is missing or has no admin consent, and Graph would answer 403 ErrorAccessDenied.`,
    fix: `In Azure: App registrations → ${config.clientId} → API permissions → Add a permission → Microsoft Graph → Application permissions → ${GRAPH_APPLICATION_PERMISSION}, then "Grant admin consent". It lets the app send as any mailbox of the tenant: limit it with Exchange's RBAC for Applications.`,
    microsoftText: null,
    correlationId: null,
    needsReauth: false,
    ...(consentUrl ? { link: { href: consentUrl, label: "Grant admin consent" } } : {}),
  };
}

function hasRole(accessToken: string, permission: string): boolean {
  return tokenRoles(accessToken).some((r) => r.toLowerCase() === permission.toLowerCase());
}

/** One client-credentials call, bounded by the caller's give-up time. */
async function requestToken(
  msal: ConfidentialClientApplication,
  scope: string,
  skipCache: boolean,
  giveUp: { at: number; ms: number } | undefined,
  host: string,
) {
  const call = msal.acquireTokenByClientCredential({ scopes: [scope], skipCache });
  if (!giveUp) return call;
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      call,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new IdentityNetworkError("timeout", host, "token response", giveUp.ms)),
          Math.max(0, giveUp.at - Date.now()),
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export type AppMailToken = {
  accessToken: string;
  mailbox: string;
  expiresOn: Date | null;
  fromCache: boolean;
  app: AppTokenFacts;
};

/** The role's app-only token (Application connection type), or why there is none. */
export async function acquireAppMailToken(
  role: MailRole,
  config: MicrosoftConfig,
  options: { forceRefresh?: boolean; giveUpAt?: { at: number; ms: number }; graph?: boolean } = {},
): Promise<AppMailToken> {
  const settings = config.settings;
  const mailbox = roleMailbox(settings, role);
  if (!mailbox) throw new NotConnectedError(`${ROLE_LABELS[role].mailboxField} is not set.`, role);
  const problem = applicationProblems(settings).msTenantId;
  if (problem) throw new NotConnectedError(`${problem}.`, role);
  // Graph transport: the app's Microsoft Graph token, with Graph's application permission Mail.Send.
  const cloud = resolveCloud(settings);
  const scope = options.graph ? graphAppScope(cloud.graphResource) : exchangeAppScope(cloud.exchangeAppResource);
  const needed = options.graph ? GRAPH_APPLICATION_PERMISSION : APPLICATION_PERMISSIONS[role];
  const consentUrl = adminConsentUrl(settings, (await getGeneralSettings()).serverBaseUrl);
  const connection = { clientId: config.clientId, mailbox, tenantId: config.tenant };
  const { msal, network } = appClient(config);
  network.lastFailure = null;

  const request = (skipCache: boolean) =>
    requestToken(msal, scope, skipCache, options.giveUpAt, new URL(config.authorityOrigin).host);
  let result: Awaited<ReturnType<ConfidentialClientApplication["acquireTokenByClientCredential"]>>;
  try {
    result = await request(options.forceRefresh ?? false);
    // A cached token issued before consent was granted has no roles: ask Microsoft once for a fresh one.
    if (result?.fromCache && !hasRole(result.accessToken, needed)) result = await request(true);
  } catch (error) {
    countTokenRefresh("application", false);
    if (error instanceof IdentityNetworkError) throw new MicrosoftTokenError(translateNetworkFailure(error), role);
    const t = translateAppTokenError(
      error,
      { clientId: config.clientId, tenant: config.tenant, scope, adminConsentUrl: consentUrl },
      network,
    );
    if (error instanceof AuthError) await markAppFailing(connection, t);
    throw new MicrosoftTokenError(t, role);
  }
  if (!result?.accessToken) throw new Error("Microsoft returned no access token.");
  if (!result.fromCache) countTokenRefresh("application", true);
  const roles = tokenRoles(result.accessToken);
  if (!hasRole(result.accessToken, needed)) {
    const t = options.graph
      ? graphMissingRoleError(roles, config, consentUrl)
      : missingRoleError(role, roles, config, consentUrl);
    await markAppFailing(connection, t);
    throw new AppRoleMissingError(t, role);
  }
  await recordAppSuccess(connection, roles, result.fromCache ? null : new Date());
  return {
    accessToken: result.accessToken,
    mailbox,
    expiresOn: result.expiresOn ?? null,
    fromCache: result.fromCache,
    app: { clientId: config.clientId, tenantId: config.tenant, roles, adminConsentUrl: consentUrl },
  };
}
