import { X509Certificate } from "node:crypto";
import { type CertificateDetails, EXPIRY_WARNING_DAYS } from "@/lib/microsoft/client-safe/certificate-view";

export type { CertificateDetails };

/** The public details of a PEM certificate (see CertificateDetails). */
export function certificateDetails(pem: string, now = new Date()): CertificateDetails {
  const cert = new X509Certificate(pem);
  const notAfter = new Date(cert.validTo);
  const left = notAfter.getTime() - now.getTime();
  return {
    thumbprintSha256: cert.fingerprint256.replace(/:/g, ""),
    subject: cert.subject.replace(/\n/g, ", "),
    notBefore: new Date(cert.validFrom).toISOString(),
    notAfter: notAfter.toISOString(),
    state: left <= 0 ? "expired" : left <= EXPIRY_WARNING_DAYS * 86_400_000 ? "expires-soon" : "valid",
  };
}
