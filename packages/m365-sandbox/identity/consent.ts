import type { AuthorizeRequest } from "../context";
import { expandDefault, fullScope, isScopeError, parseScopeParam } from "../scopes";
import type { AppRecord, UserRecord } from "../store";

/**
 * Consent as the identity platform keeps it: what a request asks consent for, what the user or an
 * administrator already granted to the app, and the permission descriptions the consent page shows.
 */

const PERMISSION_TEXT: Record<string, string> = {
  "SMTP.Send": "Send emails from mailboxes using SMTP AUTH.",
  "IMAP.AccessAsUser.All": "Read and write access to mailboxes via IMAP.",
  "POP.AccessAsUser.All": "Read and write access to mailboxes via POP.",
  "EWS.AccessAsUser.All": "Access mailboxes as the signed-in user via Exchange Web Services.",
  "User.Read": "Sign you in and read your profile.",
  "Mail.Read": "Read your mail.",
  "Mail.Send": "Send mail as you.",
};

/** Full scope strings the request needs consent for. */
export function requestedConsentScopes(request: AuthorizeRequest): string[] {
  if (request.kind === "adminconsent") return request.permissions;
  const kind = request.scope.resource;
  return [...(kind ? request.permissions.map((p) => fullScope(kind, p)) : []), ...(request.extraConsent ?? [])];
}

function grantedScopes(app: AppRecord, user: UserRecord): Set<string> {
  return new Set([...app.adminConsentedScopes, ...(app.userConsents[user.id] ?? [])].map((s) => s.toLowerCase()));
}

export function missingConsent(request: AuthorizeRequest, user: UserRecord): string[] {
  const granted = grantedScopes(request.app, user);
  return requestedConsentScopes(request).filter((s) => !granted.has(s.toLowerCase()));
}

/** The consent page's list: each scope with its description (and offline_access when a sign-in asks for it). */
export function consentPermissions(
  request: AuthorizeRequest,
  scopes: string[],
): { scope: string; description: string }[] {
  const permissions = scopes.map((s) => {
    const name = s.slice(s.lastIndexOf("/") + 1);
    return { scope: s, description: PERMISSION_TEXT[name] ?? name };
  });
  if (request.scope.oidc.includes("offline_access") && request.kind === "authorize") {
    permissions.push({ scope: "offline_access", description: "Maintain access to data you have given it access to" });
  }
  return permissions;
}

export function adminConsentScopes(scopeParam: string | null, configured: string[]): string[] {
  const parsed = parseScopeParam(scopeParam);
  if (!scopeParam || isScopeError(parsed) || !parsed.resource) return [...configured];
  const kind = parsed.resource;
  return expandDefault(parsed, configured).map((p) => fullScope(kind, p));
}

export function union(a: string[], b: string[]): string[] {
  const out = [...a];
  for (const s of b) if (!out.some((x) => x.toLowerCase() === s.toLowerCase())) out.push(s);
  return out;
}
