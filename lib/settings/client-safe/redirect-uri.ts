/** The callback path registered in Azure, as FlexDeploy documents it. */
export const OAUTH_CALLBACK_PATH = "/flexdeploy/rest/v2/oauth";

/** The exact redirect URI for a (normalised) Server Base URL. Never derived from request headers. */
export function buildRedirectUri(serverBaseUrl: string): string {
  return serverBaseUrl.replace(/\/+$/, "") + OAUTH_CALLBACK_PATH;
}
