import { createPublicKey } from "node:crypto";
import { compactVerify, decodeProtectedHeader } from "jose";
import { certificateByThumbprint } from "../certificates";
import type { SandboxContext } from "../context";
import type { AppRecord } from "../store";
import { AADSTS } from "./errors";
import type { TenantRef } from "./tenants";
import { fail } from "./token-error";

/**
 * A client assertion (RFC 7523 `private_key_jwt`, Microsoft's certificate credentials): a JWT signed
 * RS256 or PS256 with the private key of a certificate registered for the app, named by `x5t#S256`
 * (SHA-256 thumbprint) or the legacy `x5t` (SHA-1); `aud` the tenant's token endpoint, `iss` = `sub` =
 * the client id, `exp` / `nbf` around now. A `jti` may be presented again: MSAL reuses one assertion
 * for its 10 minutes.
 */

export const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
const ALGORITHMS = ["RS256", "PS256"];
/** Clock skew allowed either side of nbf/exp. */
const SKEW_SECONDS = 300;

function hexThumbprint(b64url: string): string {
  return Buffer.from(b64url, "base64url").toString("hex").toUpperCase();
}

/** Microsoft's timestamps in these messages: ISO 8601 with seven fraction digits. */
function aadInstant(seconds: number | null): string {
  const date = new Date((seconds ?? 0) * 1000);
  return date.toISOString().replace(/\.(\d{3})Z$/, ".$10000Z");
}

/** `MM/DD/YYYY HH:mm:ss`, as the "Found key 'Start=…, End=…'" part shows it. */
function keyDate(iso: string): string {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())}/${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

/** The token endpoint URLs an assertion may name for this request: by tenant id, by a verified domain, or as asked. */
function audiences(ctx: SandboxContext, ref: TenantRef): Set<string> {
  const segments = [ref.segment, ...(ref.kind === "tenant" ? [ref.tenant.id, ...ref.tenant.domains] : [])];
  return new Set(segments.map((s) => `${ctx.origin}/${s}/oauth2/v2.0/token`.toLowerCase()));
}

export async function verifyClientAssertion(
  ctx: SandboxContext,
  ref: TenantRef,
  app: AppRecord,
  assertion: string,
  assertionType: string | null,
): Promise<void> {
  if (assertionType !== JWT_BEARER) fail(AADSTS.missingParameter("client_assertion_type"));
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(assertion);
  } catch {
    fail(AADSTS.assertionMalformed());
  }
  if (typeof header.alg !== "string" || !ALGORITHMS.includes(header.alg)) fail(AADSTS.assertionMalformed());
  const named = header["x5t#S256"] ?? header.x5t;
  if (typeof named !== "string" || !named) fail(AADSTS.assertionMalformed());
  const thumbprint = hexThumbprint(named);
  const cert = certificateByThumbprint(app.certificates, thumbprint);
  if (!cert) fail(AADSTS.assertionKeyNotFound(thumbprint, app.clientId));

  let payload: Record<string, unknown>;
  try {
    const verified = await compactVerify(assertion, createPublicKey(cert.pem), { algorithms: ALGORITHMS });
    payload = JSON.parse(new TextDecoder().decode(verified.payload)) as Record<string, unknown>;
  } catch {
    fail(AADSTS.assertionBadSignature(thumbprint, keyDate(cert.startDateTime), keyDate(cert.endDateTime)));
  }

  const now = Math.floor(Date.now() / 1000);
  const exp = typeof payload.exp === "number" ? payload.exp : null;
  const nbf = typeof payload.nbf === "number" ? payload.nbf : null;
  if (exp === null || now > exp + SKEW_SECONDS || (nbf !== null && now < nbf - SKEW_SECONDS))
    fail(AADSTS.assertionOutOfTime(aadInstant(now), aadInstant(nbf), aadInstant(exp)));
  if (typeof payload.aud !== "string" || !audiences(ctx, ref).has(payload.aud.toLowerCase()))
    fail(AADSTS.assertionAudience());
  const client = app.clientId.toLowerCase();
  if (String(payload.iss).toLowerCase() !== client || String(payload.sub).toLowerCase() !== client)
    fail(AADSTS.assertionClientMismatch());
}
