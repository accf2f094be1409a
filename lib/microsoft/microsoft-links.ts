import { resolveCloud } from "@/lib/microsoft/client-safe/clouds";
import { buildRedirectUri } from "@/lib/settings/client-safe/redirect-uri";
import { validServerBaseUrl } from "@/lib/settings/client-safe/general-schema";

/** Links to the identity platform of the configured cloud: admin consent and sign-out. Pure. */
type CloudSettings = { msCloud: string; customAuthority: string | null; customOutlookResource: string | null };

function authorityOriginOf(s: CloudSettings): string | null {
  try {
    return new URL(resolveCloud(s).authority).origin;
  } catch {
    return null;
  }
}

/** `{authority}/{tenant}/adminconsent?client_id=…&redirect_uri=…` */
export function adminConsentUrl(
  s: CloudSettings & { msTenantId: string | null; msClientId: string | null },
  serverBaseUrl: string | null,
): string | null {
  const origin = authorityOriginOf(s);
  const base = validServerBaseUrl(serverBaseUrl);
  if (!origin || !s.msTenantId || !s.msClientId || !base) return null;
  const q = new URLSearchParams({ client_id: s.msClientId, redirect_uri: buildRedirectUri(base) });
  return `${origin}/${encodeURIComponent(s.msTenantId)}/adminconsent?${q.toString()}`;
}

/** `{authority}/{tenant}/oauth2/v2.0/logout`: signs the browser out of Microsoft. */
export function microsoftLogoutUrl(s: CloudSettings & { msTenantId: string | null }): string | null {
  const origin = authorityOriginOf(s);
  if (!origin) return null;
  return `${origin}/${encodeURIComponent(s.msTenantId || "common")}/oauth2/v2.0/logout`;
}
