import { resolveCloud } from "@/lib/microsoft/clouds";
import {
  expectedSignIn,
  roleMailbox,
  roleUsesMicrosoft,
  ROLE_LABELS,
  type MailRole,
  type RoleSettings,
} from "@/lib/microsoft/client-safe/mail-roles";
import { serverBaseUrlField } from "@/lib/settings/client-safe/general-schema";
import { buildRedirectUri } from "@/lib/settings/client-safe/redirect-uri";

/**
 * What Authorize needs before it can start, as reasons an admin can act on. Pure (no server-only):
 * the server computes it from saved settings, and the authorize route checks it again.
 */
export type ReadinessSettings = RoleSettings & {
  saved: boolean;
  msClientId: string | null;
  msClientSecretEnc: string | null;
  msTenantId: string | null;
  msCloud: string;
  customAuthority: string | null;
  customOutlookResource: string | null;
};

export function validServerBaseUrl(value: string | null): string | null {
  if (!value) return null;
  const parsed = serverBaseUrlField.safeParse(value);
  return parsed.success ? parsed.data : null;
}

export function authorizeBlockers(s: ReadinessSettings, serverBaseUrl: string | null, role: MailRole): string[] {
  const out: string[] = [];
  const label = ROLE_LABELS[role];
  if (!s.saved) return ["Save Email Settings first."];
  if (!roleUsesMicrosoft(s, role)) {
    out.push(
      role === "smtp"
        ? "SMTP auth type is not Microsoft OAuth (saved settings)."
        : "Set an Approval Reply Address with IMAP auth type Microsoft OAuth, and save.",
    );
    return out;
  }
  if (!roleMailbox(s, role) || !expectedSignIn(s, role)) out.push(`${label.mailboxField} is missing.`);
  if (!s.msClientId) out.push("Client Id is missing.");
  if (!s.msClientSecretEnc) out.push("Client Secret is missing.");
  if (!s.msTenantId) out.push("Tenant Id is missing.");
  if (s.msCloud === "custom" && (!s.customAuthority || !s.customOutlookResource))
    out.push("The custom cloud needs an authority and an Outlook resource.");
  if (!serverBaseUrl) out.push("Set the Server Base URL in General Settings (it gives the redirect URI).");
  else if (!validServerBaseUrl(serverBaseUrl))
    out.push("The Server Base URL in General Settings must use https:// (http only on localhost).");
  return out;
}

export function authorityOriginOf(
  s: Pick<ReadinessSettings, "msCloud" | "customAuthority" | "customOutlookResource">,
): string | null {
  try {
    return new URL(resolveCloud(s).authority).origin;
  } catch {
    return null;
  }
}

/** `{authority}/{tenant}/adminconsent?client_id=…&redirect_uri=…` */
export function adminConsentUrl(s: ReadinessSettings, serverBaseUrl: string | null): string | null {
  const origin = authorityOriginOf(s);
  const base = validServerBaseUrl(serverBaseUrl);
  if (!origin || !s.msTenantId || !s.msClientId || !base) return null;
  const q = new URLSearchParams({ client_id: s.msClientId, redirect_uri: buildRedirectUri(base) });
  return `${origin}/${encodeURIComponent(s.msTenantId)}/adminconsent?${q.toString()}`;
}

/** `{authority}/{tenant}/oauth2/v2.0/logout`: signs the browser out of Microsoft. */
export function microsoftLogoutUrl(
  s: Pick<ReadinessSettings, "msCloud" | "customAuthority" | "customOutlookResource" | "msTenantId">,
): string | null {
  const origin = authorityOriginOf(s);
  if (!origin) return null;
  return `${origin}/${encodeURIComponent(s.msTenantId || "common")}/oauth2/v2.0/logout`;
}
