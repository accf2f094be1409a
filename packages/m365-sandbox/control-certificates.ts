import { certificateRecord } from "./certificates";
import type { SandboxContext } from "./context";
import { ControlError } from "./control-faults";
import type { AppCertificateRecord } from "./store";

/**
 * Control routes for an app registration's certificate credentials: register a certificate's
 * public part (PEM), list them, remove one by key id or thumbprint, like the portal's
 * "Certificates & secrets → Certificates".
 */

export function publicCertificate(c: AppCertificateRecord): Record<string, unknown> {
  return {
    keyId: c.keyId,
    displayName: c.displayName,
    thumbprintSha1: c.thumbprintSha1,
    thumbprintSha256: c.thumbprintSha256,
    startDateTime: c.startDateTime,
    endDateTime: c.endDateTime,
  };
}

/** Answers a certificate route; undefined when the route is not one of these. */
export function certificateRoute(
  ctx: SandboxContext,
  route: string,
  clientId: string | undefined,
  body: Record<string, unknown>,
): unknown {
  if (!route.endsWith(" apps/:b/certificates")) return undefined;
  const app = ctx.store.app(clientId ?? "");
  if (!app) throw new ControlError(404, `app not found: ${clientId}`);
  const list = app.certificates ?? [];
  switch (route) {
    case "GET apps/:b/certificates":
      return list.map(publicCertificate);
    case "POST apps/:b/certificates": {
      if (typeof body.pem !== "string") throw new ControlError(400, "missing 'pem' (the certificate, PEM)");
      if (body.displayName !== undefined && typeof body.displayName !== "string")
        throw new ControlError(400, "'displayName' must be a string");
      const record = certificateRecord(body.pem, body.displayName as string | undefined);
      if (typeof record === "string") throw new ControlError(400, record);
      if (list.some((c) => c.thumbprintSha256 === record.thumbprintSha256))
        throw new ControlError(409, "this certificate is already registered for the app");
      app.certificates = [...list, record];
      ctx.store.save();
      return publicCertificate(record);
    }
    case "DELETE apps/:b/certificates": {
      const key = typeof body.keyId === "string" ? body.keyId : null;
      const thumbprint = typeof body.thumbprintSha256 === "string" ? body.thumbprintSha256.toUpperCase() : null;
      if (!key && !thumbprint) throw new ControlError(400, "give 'keyId' or 'thumbprintSha256'");
      const kept = list.filter((c) => c.keyId !== key && c.thumbprintSha256 !== thumbprint);
      if (kept.length === list.length) throw new ControlError(404, "no such certificate for the app");
      app.certificates = kept;
      ctx.store.save();
      return { removed: list.length - kept.length };
    }
    default:
      throw new ControlError(404, `unknown control route: ${route}`);
  }
}
