import type { MailRole } from "@/lib/microsoft/client-safe/mail-roles";

/**
 * Mail scopes are Outlook-resource scopes (Graph scopes give "AUTHENTICATE failed"). One access
 * token covers both roles because SMTP.Send and IMAP.AccessAsUser.All belong to the same resource.
 */
export const OIDC_SCOPES = ["offline_access", "openid", "profile", "email"] as const;

const PERMISSION: Record<MailRole, string> = { smtp: "SMTP.Send", imap: "IMAP.AccessAsUser.All" };

export function roleScope(outlookResource: string, role: MailRole): string {
  return `${outlookResource.replace(/\/+$/, "")}/${PERMISSION[role]}`;
}

/** Resource scopes for the roles, in a stable order (SMTP first). */
export function resourceScopes(outlookResource: string, roles: readonly MailRole[]): string[] {
  return (["smtp", "imap"] as const).filter((r) => roles.includes(r)).map((r) => roleScope(outlookResource, r));
}

/** What the authorize request asks for: the roles' resource scopes plus offline_access openid profile email. */
export function authorizeScopes(outlookResource: string, roles: readonly MailRole[]): string[] {
  return [...resourceScopes(outlookResource, roles), ...OIDC_SCOPES];
}

/** Whether a granted scope list (space separated, as stored) covers the role. Case-insensitive, like Entra. */
export function grantsRole(granted: string, outlookResource: string, role: MailRole): boolean {
  const want = roleScope(outlookResource, role).toLowerCase();
  const bare = PERMISSION[role].toLowerCase();
  return granted
    .split(/\s+/)
    .map((s) => s.toLowerCase())
    .some((s) => s === want || s === bare);
}

/** The granted resource scopes (dropping the OpenID ones) of a space-separated list. */
export function grantedResourceScopes(granted: string): string[] {
  return granted.split(/\s+/).filter((s) => s && !(OIDC_SCOPES as readonly string[]).includes(s.toLowerCase()));
}
