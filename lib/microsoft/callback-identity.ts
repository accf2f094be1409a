import "server-only";
import { normalizeAccount } from "@/lib/microsoft/client-safe/mail-roles";
import type { MicrosoftConfig } from "@/lib/microsoft/msal-client";
import type { IdentityNetwork } from "@/lib/microsoft/network-client";

/**
 * Who signed in, read from the ID token as Microsoft documents it (ID token claims reference,
 * https://learn.microsoft.com/en-us/entra/identity-platform/id-token-claims-reference): the sign-in
 * name is `preferred_username` (v2.0) or `upn`; `email` is left out, since it can be set to any
 * address (a guest's, an unverified one) and is not the account that signed in. `tid` is the
 * tenant the account signed in to.
 */
export function signedInNames(claims: Record<string, unknown>): string[] {
  return [claims.preferred_username, claims.upn]
    .filter((v): v is string => typeof v === "string" && v.length > 0)
    .map(normalizeAccount);
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MULTI_TENANT = new Set(["common", "organizations", "consumers"]);

/**
 * The tenant id an ID token's `tid` must equal: the configured Tenant Id when it is a GUID; for a
 * domain (contoso.com), the tenant id the authority's own discovery document names in its `issuer`
 * (`https://login.microsoftonline.com/{tenant id}/v2.0`), read through the same network client as
 * MSAL (cached); null for common / organizations / consumers (no single tenant configured).
 * Throws when a domain's tenant id cannot be confirmed: the callback then refuses.
 */
export async function expectedTenantId(config: MicrosoftConfig, network: IdentityNetwork): Promise<string | null> {
  const tenant = config.tenant.trim();
  if (GUID.test(tenant)) return tenant.toLowerCase();
  if (MULTI_TENANT.has(tenant.toLowerCase())) return null;
  const doc = await network.sendGetRequestAsync<{ issuer?: unknown }>(
    `${config.authority}/v2.0/.well-known/openid-configuration`,
  );
  const issuer = typeof doc.body.issuer === "string" ? doc.body.issuer : "";
  const id = /\/([0-9a-f-]{36})\/v2\.0\/?$/i.exec(issuer)?.[1];
  if (doc.status !== 200 || !id || !GUID.test(id))
    throw new Error(`the discovery document of ${config.authority} names no tenant id`);
  return id.toLowerCase();
}
