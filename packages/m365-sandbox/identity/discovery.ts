import type { SandboxContext } from "../context";
import type { TenantRef } from "./tenants";

/**
 * OpenID Connect discovery document of a tenant, like
 * `https://login.microsoftonline.com/{tenant}/v2.0/.well-known/openid-configuration`.
 * For a tenant (GUID or domain) the issuer and endpoints name the tenant GUID; for `common` /
 * `organizations` the issuer keeps the `{tenantid}` template and the endpoints keep the segment.
 */
export function discoveryDocument(
  ctx: SandboxContext,
  ref: Exclude<TenantRef, { kind: "unknown" }>,
): Record<string, unknown> {
  const o = ctx.origin;
  const seg = ref.kind === "tenant" ? ref.tenant.id : ref.segment;
  const issuer = ref.kind === "tenant" ? ctx.issuer(ref.tenant.id) : `${o}/{tenantid}/v2.0`;
  return {
    token_endpoint: `${o}/${seg}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
    jwks_uri: `${o}/${seg}/discovery/v2.0/keys`,
    response_modes_supported: ["query", "fragment", "form_post"],
    subject_types_supported: ["pairwise"],
    id_token_signing_alg_values_supported: ["RS256"],
    response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
    scopes_supported: ["openid", "profile", "email", "offline_access"],
    issuer,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${o}/oidc/userinfo`,
    authorization_endpoint: `${o}/${seg}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${o}/${seg}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${o}/${seg}/oauth2/v2.0/logout`,
    claims_supported: [
      "sub",
      "iss",
      "cloud_instance_name",
      "cloud_instance_host_name",
      "cloud_graph_host_name",
      "msgraph_host",
      "aud",
      "exp",
      "iat",
      "auth_time",
      "acr",
      "nonce",
      "preferred_username",
      "name",
      "tid",
      "ver",
      "at_hash",
      "c_hash",
      "email",
    ],
    kerberos_endpoint: `${o}/${seg}/kerberos`,
    tenant_region_scope: "EU",
    cloud_instance_name: "sandbox.local",
    cloud_graph_host_name: "graph.windows.net",
    msgraph_host: "graph.microsoft.com",
    rbac_url: "https://pas.windows.net",
  };
}
