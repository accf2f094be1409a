import "server-only";
import { CryptoProvider } from "@azure/msal-node";
import type { Admin } from "@/lib/auth/session";
import { expectedSignIn, roleAccount, rolesForAccount, type MailRole } from "@/lib/microsoft/client-safe/mail-roles";
import { translateMsalError } from "@/lib/microsoft/errors/msal";
import { describeTranslated } from "@/lib/microsoft/errors/translate";
import { createMsalClient, microsoftConfigFrom } from "@/lib/microsoft/msal-client";
import { identityNetworkClient } from "@/lib/microsoft/network-client";
import { createOAuthState } from "@/lib/microsoft/oauth-state";
import { authorizeBlockers } from "@/lib/microsoft/authorize-blockers";
import { validServerBaseUrl } from "@/lib/settings/client-safe/general-schema";
import { authorizeScopes } from "@/lib/microsoft/scopes";
import { resolveCloud } from "@/lib/microsoft/client-safe/clouds";
import { graphConsentScopes } from "@/lib/microsoft/client-safe/smtp-transport";
import { getEmailSettings } from "@/lib/settings/email-repository";
import { getGeneralSettings } from "@/lib/settings/general-repository";
import { buildRedirectUri } from "@/lib/settings/client-safe/redirect-uri";

export type AuthorizeStart = { url: string; roles: MailRole[]; account: string } | { blockers: string[] };

/**
 * Starts Authorize / Re-Authorize for a role: a one-time state (see oauth-state.ts) and MSAL's
 * authorization URL with PKCE S256, `prompt=select_account` (so a browser already signed in to
 * Microsoft must still pick the account) and `login_hint` = the expected user. MSAL drops
 * `login_hint` when prompt is select_account, so the hint goes through extraQueryParameters.
 * The scopes cover every role served by the same account: one authorization covers both.
 * The redirect URI comes from the saved Server Base URL, never from the request.
 */
export async function startAuthorization(
  role: MailRole,
  admin: Admin,
  acceptAccount: string | null = null,
): Promise<AuthorizeStart> {
  const [settings, general] = await Promise.all([getEmailSettings(), getGeneralSettings()]);
  const blockers = authorizeBlockers(settings, general.serverBaseUrl, role);
  if (blockers.length) return { blockers };
  const config = microsoftConfigFrom(settings);
  if ("problem" in config) return { blockers: [config.problem] };
  const account = roleAccount(settings, role)!;
  const hint = expectedSignIn(settings, role)!;
  const roles = rolesForAccount(settings, account);
  const redirectUri = buildRedirectUri(validServerBaseUrl(general.serverBaseUrl)!);

  const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
  const { state, nonce } = await createOAuthState({
    account,
    roles,
    userId: admin.id,
    sessionId: admin.sessionId,
    verifier,
    acceptAccount,
  });
  const network = identityNetworkClient();
  const url = await createMsalClient(config, undefined, network)
    .getAuthCodeUrl({
      scopes: authorizeScopes(config.outlookResource, roles),
      // a sender on Microsoft Graph: its Graph scope is consented in the same sign-in (token: after the code)
      extraScopesToConsent: graphConsentScopes(settings, roles, resolveCloud(settings).graphResource),
      redirectUri,
      state,
      nonce,
      prompt: "select_account",
      codeChallenge: challenge,
      codeChallengeMethod: "S256",
      responseMode: "query",
      extraQueryParameters: { login_hint: hint },
    })
    // MSAL reads the authority's discovery document first: say why it could not (named, never a 500).
    .catch((error: unknown) => ({ failed: describeTranslated(translateMsalError(error, {}, network)) }));
  if (typeof url !== "string") return { blockers: [url.failed] };
  return { url, roles, account };
}
