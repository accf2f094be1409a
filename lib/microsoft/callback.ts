import "server-only";
import type { AuthenticationResult } from "@azure/msal-node";
import type { Admin } from "@/lib/auth/session";
import { recordAudit } from "@/lib/audit/audit-log";
import { saveAuthorization } from "@/lib/microsoft/connection-repository";
import { CALLBACK_PROBLEMS, type CallbackProblem, type CallbackResult } from "@/lib/microsoft/callback-result";
import type { MailRole } from "@/lib/microsoft/client-safe/mail-roles";
import { expectedTenantId, signedInNames } from "@/lib/microsoft/callback-identity";
import { translateMsalError } from "@/lib/microsoft/errors/msal";
import { translateMicrosoftError } from "@/lib/microsoft/errors/translate";
import { createMsalClient, microsoftConfigFrom } from "@/lib/microsoft/msal-client";
import { identityNetworkClient } from "@/lib/microsoft/network-client";
import { consumeOAuthState, saveStateResult } from "@/lib/microsoft/oauth-state";
import { adminConsentUrl, microsoftLogoutUrl } from "@/lib/microsoft/microsoft-links";
import { validServerBaseUrl } from "@/lib/settings/client-safe/general-schema";
import { resourceScopes, OIDC_SCOPES } from "@/lib/microsoft/scopes";
import { resolveCloud } from "@/lib/microsoft/client-safe/clouds";
import { graphConsentScopes } from "@/lib/microsoft/client-safe/smtp-transport";
import { ConnectionCachePlugin, sealCache } from "@/lib/microsoft/token-cache-plugin";
import { getEmailSettings } from "@/lib/settings/email-repository";
import { getGeneralSettings } from "@/lib/settings/general-repository";
import { buildRedirectUri } from "@/lib/settings/client-safe/redirect-uri";

export const EMAIL_SETTINGS_PATH = "/settings/email";
const ANCHOR = "#microsoft-connections";

export function problemLocation(problem: CallbackProblem, extra: Record<string, string> = {}): string {
  return `${EMAIL_SETTINGS_PATH}?${new URLSearchParams({ oauth_error: problem, ...extra }).toString()}${ANCHOR}`;
}

function resultLocation(stateId: string): string {
  return `${EMAIL_SETTINGS_PATH}?${new URLSearchParams({ oauth: stateId }).toString()}${ANCHOR}`;
}

/**
 * `GET /flexdeploy/rest/v2/oauth`: returns where to send the browser (always Email Settings).
 * Order matters: the state is checked (and consumed) before anything else, so a forged, replayed,
 * expired or foreign callback changes nothing; the tokens are obtained into a throw-away cache and
 * written to the connection only when the signed-in account is the expected one.
 */
export async function completeAuthorization(params: URLSearchParams, admin: Admin): Promise<string> {
  const error = params.get("error");
  const consumed = await consumeOAuthState(params.get("state"), admin);
  if ("problem" in consumed) {
    if (error && (consumed.problem === "state_missing" || consumed.problem === "state_unknown")) {
      // Microsoft's error without a usable state: show its code from a fixed table, not its text.
      const code = /AADSTS(\d{1,9})/.exec(params.get("error_description") ?? "")?.[1];
      return problemLocation("microsoft", {
        ...(code ? { aadsts: code } : {}),
        error: /^[a-z_]{1,40}$/.test(error) ? error : "unknown",
      });
    }
    return problemLocation(consumed.problem);
  }
  const roles = consumed.roles;
  const finish = async (result: CallbackResult) => {
    await saveStateResult(consumed.id, result);
    return resultLocation(consumed.id);
  };

  const [settings, general] = await Promise.all([getEmailSettings(), getGeneralSettings()]);
  const base = validServerBaseUrl(general.serverBaseUrl);
  const redirectUri = base ? buildRedirectUri(base) : null;
  const errorContext = {
    redirectUri,
    adminConsentUrl: adminConsentUrl(settings, general.serverBaseUrl),
    tenant: settings.msTenantId,
    clientId: settings.msClientId,
  };

  if (error) {
    const translated = translateMicrosoftError({ error, description: params.get("error_description") }, errorContext);
    await recordAudit(admin, {
      action: "microsoft.authorize_failed",
      target: consumed.account,
      details: { roles, code: translated.code },
    });
    return finish({ kind: "microsoft_error", roles, error: translated });
  }
  const code = params.get("code");
  if (!code)
    return finish({
      kind: "error",
      roles,
      message: "Microsoft's response had neither a code nor an error. Nothing was changed. Click Authorize again.",
    });

  const config = microsoftConfigFrom(settings);
  if ("problem" in config || !redirectUri) {
    return finish({
      kind: "error",
      roles,
      message: `${"problem" in config ? config.problem : "The Server Base URL is not valid."} Nothing was changed.`,
    });
  }

  // A throw-away cache: nothing reaches the database unless the account is the right one.
  const capture = new ConnectionCachePlugin(null);
  const network = identityNetworkClient();
  let result: AuthenticationResult;
  const msal = createMsalClient(config, capture, network);
  try {
    result = await msal.acquireTokenByCode({
      code,
      redirectUri,
      scopes: [...resourceScopes(config.outlookResource, roles), ...OIDC_SCOPES],
      codeVerifier: consumed.verifier,
      nonce: consumed.nonce,
    });
  } catch (err) {
    const translated = translateMsalError(err, errorContext, network);
    await recordAudit(admin, {
      action: "microsoft.authorize_failed",
      target: consumed.account,
      details: { roles, code: translated.code },
    });
    return finish({ kind: "microsoft_error", roles, error: translated });
  }
  if (!result?.account) {
    return finish({
      kind: "error",
      roles,
      message:
        "Microsoft did not say which account signed in (no id_token). Nothing was changed. Check that the openid and profile permissions are allowed, then Authorize again.",
    });
  }

  const claims = (result.idTokenClaims ?? {}) as Record<string, unknown>;
  const names = signedInNames(claims);
  const signedInAs =
    [claims.preferred_username, claims.upn].find((v): v is string => typeof v === "string" && v.length > 0) ??
    "(unknown)";

  // The tenant first: an account of another tenant is refused whatever its name.
  const tid = typeof claims.tid === "string" ? claims.tid.toLowerCase() : null;
  let tenantId: string | null;
  try {
    tenantId = await expectedTenantId(config, network);
  } catch {
    return finish({
      kind: "error",
      roles,
      message: `Could not confirm which tenant ${config.tenant} is (the authority's discovery document names none). Nothing was changed. Enter the Directory (tenant) ID (a GUID) as Tenant Id, save, and Authorize again.`,
    });
  }
  if (tenantId && tid !== tenantId) {
    await recordAudit(admin, {
      action: "microsoft.wrong_tenant",
      target: consumed.account,
      details: { roles, signedInAs, tid, expected: tenantId },
    });
    return finish({
      kind: "error",
      roles,
      message: `${signedInAs} signed in to another tenant (${tid ?? "none named"}), not the configured tenant ${config.tenant}${tenantId === config.tenant.toLowerCase() ? "" : ` (${tenantId})`}. Nothing was changed. Sign in with an account of the configured tenant, or correct the Tenant Id.`,
    });
  }
  const expected = consumed.account;
  const exact = names.includes(expected);
  const alias = !exact && consumed.acceptAccount !== null && names.includes(consumed.acceptAccount);
  if (!exact && !alias) {
    await recordAudit(admin, {
      action: "microsoft.wrong_user",
      target: expected,
      details: { roles, signedInAs, expected },
    });
    return finish({
      kind: "wrong_user",
      roles,
      signedInAs,
      otherNames: [...new Set(names)].filter((n) => n !== signedInAs.toLowerCase()),
      expected,
      logoutUrl: microsoftLogoutUrl(settings),
    });
  }
  // A sender on Microsoft Graph: its Graph token from the new refresh token (consented in the same sign-in).
  const graph = await graphGrant(msal, result, settings, roles);
  if (graph.error) {
    await recordAudit(admin, {
      action: "microsoft.graph_scope_missing",
      target: expected,
      details: { roles, scopes: graph.asked, code: graph.error },
    });
  }
  if (!capture.serialized)
    return finish({ kind: "error", roles, message: "MSAL produced no token cache. Nothing was changed." });

  await saveAuthorization(expected, {
    username: signedInAs,
    homeAccountId: result.account.homeAccountId,
    tenantId: result.tenantId || result.account.tenantId || null,
    scopes: [...result.scopes, ...graph.granted].join(" "),
    cacheEnc: sealCache(capture.serialized, expected),
    authorizedBy: admin.email,
    at: new Date(),
    smtpHost: settings.smtpHost,
    imapHost: settings.imapHost,
    graphHost: graph.granted.length ? resolveCloud(settings).graphEndpoint.replace(/\/+$/, "").toLowerCase() : null,
    redirectUri,
  });
  await recordAudit(admin, {
    action: "microsoft.authorized",
    target: expected,
    details: { roles, signedInAs, alias, scopes: result.scopes },
  });
  return finish({
    kind: "connected",
    roles: roles as MailRole[],
    username: signedInAs,
    expected,
    alias,
    scopes: result.scopes,
  });
}

/**
 * The Graph scopes the sender needs (none unless it uses Graph), asked for silently after the code:
 * granted → added to the connection's scopes (as `<graph>/<permission>`); refused → none added, and the
 * card says the authorization does not include them.
 */
async function graphGrant(
  msal: ReturnType<typeof createMsalClient>,
  result: AuthenticationResult,
  settings: Awaited<ReturnType<typeof getEmailSettings>>,
  roles: readonly string[],
): Promise<{ asked: string[]; granted: string[]; error: string | null }> {
  const { graphResource } = resolveCloud(settings);
  const asked = graphConsentScopes(settings, roles, graphResource);
  if (asked.length === 0 || !result.account) return { asked, granted: [], error: null };
  try {
    const token = await msal.acquireTokenSilent({ account: result.account, scopes: asked });
    const granted = token.scopes
      .filter((s) => !(OIDC_SCOPES as readonly string[]).includes(s.toLowerCase()))
      .map((s) => (s.includes("/") ? s : `${graphResource.replace(/\/+$/, "")}/${s}`));
    return { asked, granted, error: null };
  } catch (err) {
    return { asked, granted: [], error: translateMsalError(err).code ?? "graph_token_failed" };
  }
}

export { CALLBACK_PROBLEMS };
