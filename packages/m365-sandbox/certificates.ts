import { X509Certificate } from "node:crypto";
import type { AppCertificateRecord } from "./store";
import { newGuid } from "./util";

/**
 * An app registration's certificate credentials: what uploading a certificate's public part under
 * "Certificates & secrets → Certificates" records (thumbprints, validity), and the look-up by the
 * thumbprint a client assertion names.
 */

/** The record for a PEM certificate, or an error message when it is not one. */
export function certificateRecord(pem: string, displayName?: string): AppCertificateRecord | string {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch {
    return "'pem' is not a PEM or DER X.509 certificate";
  }
  return {
    keyId: newGuid(),
    displayName: displayName ?? cert.subject.replace(/\n/g, ", "),
    pem: cert.toString(),
    thumbprintSha1: cert.fingerprint.replace(/:/g, ""),
    thumbprintSha256: cert.fingerprint256.replace(/:/g, ""),
    startDateTime: new Date(cert.validFrom).toISOString(),
    endDateTime: new Date(cert.validTo).toISOString(),
  };
}

/** The registered certificate with this thumbprint (hex, either hash), if any. */
export function certificateByThumbprint(
  certificates: readonly AppCertificateRecord[] | undefined,
  hex: string,
): AppCertificateRecord | undefined {
  const h = hex.toUpperCase();
  return certificates?.find((c) => c.thumbprintSha256 === h || c.thumbprintSha1 === h);
}
