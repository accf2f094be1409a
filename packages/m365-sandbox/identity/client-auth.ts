import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { SandboxContext } from "../context";
import type { AppRecord } from "../store";
import { verifyClientAssertion } from "./client-assertion";
import { AADSTS } from "./errors";
import { applicationDisabledError } from "./policies";
import type { TenantRef } from "./tenants";
import { tenantLabel } from "./tenants";
import { fail } from "./token-error";

/**
 * Client authentication at the token endpoint, for every grant: the client id (form or HTTP Basic),
 * the app registration visible from the tenant asked, then its credential: a client secret or a client
 * assertion signed with a registered certificate (`client-assertion.ts`).
 */

function safeEqual(a: string, b: string): boolean {
  const x = createHash("sha256").update(a).digest();
  const y = createHash("sha256").update(b).digest();
  return timingSafeEqual(x, y);
}

function verifySecret(app: AppRecord, secret: string): void {
  const match = app.secrets.find((s) => safeEqual(s.value, secret));
  if (!match) fail(AADSTS.invalidClientSecret(app.clientId));
  if (new Date(match.expiresAt).getTime() <= Date.now()) fail(AADSTS.expiredClientSecret(app.clientId));
}

export async function authenticateClient(
  ctx: SandboxContext,
  ref: TenantRef,
  form: URLSearchParams,
  req: IncomingMessage,
): Promise<AppRecord> {
  let clientId = form.get("client_id");
  let secret = form.get("client_secret");
  const auth = req.headers.authorization;
  if (auth?.toLowerCase().startsWith("basic ")) {
    const decoded = Buffer.from(auth.slice(6), "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon > 0) {
      clientId = decodeURIComponent(decoded.slice(0, colon));
      secret = decodeURIComponent(decoded.slice(colon + 1));
    }
  }
  if (!clientId) fail(AADSTS.missingParameter("client_id"));
  const app = ctx.store.app(clientId);
  const visible =
    app &&
    (ref.kind === "multi" ||
      (ref.kind === "tenant" && (app.tenantId === ref.tenant.id || app.signInAudience === "AzureADMultipleOrgs")));
  if (!app || !visible) fail(AADSTS.unknownClient(clientId, tenantLabel(ref)));
  const assertion = form.get("client_assertion");
  if (assertion) await verifyClientAssertion(ctx, ref, app, assertion, form.get("client_assertion_type"));
  else if (secret) verifySecret(app, secret);
  else fail(AADSTS.missingClientSecret());
  const disabled = applicationDisabledError(app);
  if (disabled) fail(disabled);
  return app;
}
