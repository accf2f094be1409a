/**
 * Scopes and resources as the Microsoft identity platform (v2 endpoint) understands them.
 *
 * - A scope is `<resource>/<permission>`; a bare permission (`SMTP.Send`) belongs to Microsoft Graph.
 * - `openid profile email offline_access` are OpenID Connect scopes and belong to no resource.
 * - One request may name permissions of ONE resource only (AADSTS28000 otherwise).
 * - Exchange Online answers to `https://outlook.office.com` (and `https://outlook.office365.com`):
 *   a token for `https://outlook.office.com/SMTP.Send` has `aud` `https://outlook.office.com` and `scp`
 *   `SMTP.Send`. The same permission names exist on Graph, where they are useless for SMTP/IMAP.
 */

export const OUTLOOK_RESOURCE = "https://outlook.office.com";
export const OUTLOOK_RESOURCE_ALIASES = ["https://outlook.office.com", "https://outlook.office365.com"];
export const GRAPH_RESOURCE = "https://graph.microsoft.com";
/** Microsoft Graph: the global host, its app id, and the national clouds' Graph hosts (GCC High, DoD, China). */
export const GRAPH_RESOURCE_ALIASES = [
  "https://graph.microsoft.com",
  "00000003-0000-0000-c000-000000000000",
  "https://graph.microsoft.us",
  "https://dod-graph.microsoft.us",
  "https://microsoftgraph.chinacloudapi.cn",
];

/** The `aud` of a Graph token asked for `resourceUrl`: the host as asked (a national cloud's), the app id → global. */
export function graphAudience(resourceUrl: string): string {
  const r = resourceUrl.replace(/\/+$/, "").toLowerCase();
  return r.startsWith("https://") ? r : GRAPH_RESOURCE;
}

export const OIDC_SCOPES = ["openid", "profile", "email", "offline_access"] as const;

export const SCOPE_SMTP_SEND = `${OUTLOOK_RESOURCE}/SMTP.Send`;
export const SCOPE_IMAP = `${OUTLOOK_RESOURCE}/IMAP.AccessAsUser.All`;
export const SCOPE_POP = `${OUTLOOK_RESOURCE}/POP.AccessAsUser.All`;

/** Delegated permissions each resource publishes (the subset the sandbox knows). */
const PERMISSIONS: Record<"outlook" | "graph", string[]> = {
  outlook: [
    "SMTP.Send",
    "IMAP.AccessAsUser.All",
    "POP.AccessAsUser.All",
    "EWS.AccessAsUser.All",
    "Mail.Read",
    "Mail.ReadWrite",
    "Mail.Send",
    "User.Read",
  ],
  graph: [
    "User.Read",
    "User.ReadBasic.All",
    "Mail.Read",
    "Mail.ReadWrite",
    "Mail.Send",
    "SMTP.Send",
    "IMAP.AccessAsUser.All",
    "POP.AccessAsUser.All",
    "Mail.Send.Shared",
  ],
};

export type ResourceKind = "outlook" | "graph";

export interface ParsedScopes {
  /** OIDC scopes requested (lower case). */
  oidc: string[];
  /** Resource kind of the permissions, or null when only OIDC scopes were asked. */
  resource: ResourceKind | null;
  /** `aud` of the access token (the resource string as asked for Outlook; Graph's URL for Graph). */
  audience: string;
  /** Canonical permission names (e.g. `SMTP.Send`); `.default` is kept as `.default`. */
  permissions: string[];
}

export type ScopeError =
  | { kind: "multiple_resources"; scope: string }
  | { kind: "unknown_resource"; resource: string }
  | { kind: "invalid_scope"; scope: string }
  | { kind: "missing" };

export function resourceKindOf(resourceUrl: string): ResourceKind | null {
  const r = resourceUrl.replace(/\/+$/, "").toLowerCase();
  if (OUTLOOK_RESOURCE_ALIASES.includes(r)) return "outlook";
  if (GRAPH_RESOURCE_ALIASES.includes(r)) return "graph";
  return null;
}

export function canonicalResource(kind: ResourceKind): string {
  return kind === "outlook" ? OUTLOOK_RESOURCE : GRAPH_RESOURCE;
}

/** Full scope string (`https://outlook.office.com/SMTP.Send`) used as the consent key. */
export function fullScope(kind: ResourceKind, permission: string): string {
  return `${canonicalResource(kind)}/${permission}`;
}

function canonicalPermission(kind: ResourceKind, name: string): string | null {
  if (name === ".default") return ".default";
  return PERMISSIONS[kind].find((p) => p.toLowerCase() === name.toLowerCase()) ?? null;
}

/** Parse a space separated `scope` parameter like the v2 endpoint does. */
export function parseScopeParam(scopeParam: string | undefined | null): ParsedScopes | ScopeError {
  const items = (scopeParam ?? "").split(/\s+/).filter(Boolean);
  if (items.length === 0) return { kind: "missing" };
  const oidc: string[] = [];
  let resource: ResourceKind | null = null;
  let audience = "";
  const permissions: string[] = [];
  for (const item of items) {
    const lower = item.toLowerCase();
    if ((OIDC_SCOPES as readonly string[]).includes(lower)) {
      if (!oidc.includes(lower)) oidc.push(lower);
      continue;
    }
    let kind: ResourceKind | null;
    let name: string;
    let aud: string;
    const slash = item.lastIndexOf("/");
    if (slash > 0) {
      const resourceUrl = item.slice(0, slash);
      name = item.slice(slash + 1);
      kind = resourceKindOf(resourceUrl);
      if (!kind) return { kind: "unknown_resource", resource: resourceUrl };
      aud = kind === "outlook" ? resourceUrl.replace(/\/+$/, "").toLowerCase() : graphAudience(resourceUrl);
    } else {
      // A bare permission is a Microsoft Graph permission.
      kind = "graph";
      name = item;
      aud = GRAPH_RESOURCE;
    }
    if (resource && resource !== kind) return { kind: "multiple_resources", scope: items.join(" ") };
    if (audience && audience !== aud) return { kind: "multiple_resources", scope: items.join(" ") };
    resource = kind;
    audience = aud;
    const canonical = canonicalPermission(kind, name);
    if (!canonical) return { kind: "invalid_scope", scope: item };
    if (!permissions.includes(canonical)) permissions.push(canonical);
  }
  if (!resource) {
    // Only OpenID Connect scopes: Microsoft issues a Graph token (User.Read) alongside the id_token.
    return { oidc, resource: null, audience: GRAPH_RESOURCE, permissions: [] };
  }
  return { oidc, resource, audience, permissions };
}

export function isScopeError(value: ParsedScopes | ScopeError): value is ScopeError {
  return "kind" in value;
}

/** Expand `.default` against the app's configured permissions for the resource. */
export function expandDefault(parsed: ParsedScopes, configuredScopes: string[]): string[] {
  if (!parsed.resource) return [];
  const kind = parsed.resource;
  const prefix = `${canonicalResource(kind)}/`;
  const out: string[] = [];
  for (const p of parsed.permissions) {
    if (p === ".default") {
      for (const s of configuredScopes) {
        if (s.startsWith(prefix)) {
          const name = s.slice(prefix.length);
          if (!out.includes(name)) out.push(name);
        }
      }
    } else if (!out.includes(p)) {
      out.push(p);
    }
  }
  return out;
}

/**
 * The authorize endpoint accepts scopes of several resources (MSAL's `extraScopesToConsent`): the user
 * consents to all of them, the code is for the first resource's scopes. Returns the first resource's
 * scope parameter (with the OpenID scopes) and the other resources' scopes (full strings, consent keys).
 * The token endpoint still refuses several resources (AADSTS28000).
 */
export function splitAuthorizeScopes(scopeParam: string | null): { primary: string; extra: string[] } {
  const items = (scopeParam ?? "").split(/\s+/).filter(Boolean);
  let first: ResourceKind | null = null;
  const primary: string[] = [];
  const extra: string[] = [];
  for (const item of items) {
    if ((OIDC_SCOPES as readonly string[]).includes(item.toLowerCase())) {
      primary.push(item);
      continue;
    }
    const slash = item.lastIndexOf("/");
    const kind = slash > 0 ? resourceKindOf(item.slice(0, slash)) : "graph";
    if (kind === null || first === null || kind === first) {
      if (kind !== null && first === null) first = kind;
      primary.push(item);
      continue;
    }
    const name = canonicalPermission(kind, item.slice(slash + 1));
    if (!name || name === ".default")
      primary.push(item); // the one-resource parse names the error
    else extra.push(fullScope(kind, name));
  }
  return { primary: primary.join(" "), extra };
}
