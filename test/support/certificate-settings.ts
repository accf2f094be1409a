/**
 * Vitest helper for the Certificate credential: saves Email Settings with it, as the form's action does.
 */
import type { CertificateUpload } from "@/lib/settings/client-safe/email-schema";
import { ADMIN } from "./sandbox-oauth";

/** Saves the stored settings with the Certificate credential and this upload; returns the certificate's PEM. */
export async function saveCertificate(upload: CertificateUpload): Promise<string> {
  const repo = await import("@/lib/settings/email-repository");
  const { emailSettingsSchema } = await import("@/lib/settings/client-safe/email-schema");
  const { columnsToForm } = await import("@/lib/settings/email-columns");
  const { readCertificateUpload } = await import("@/lib/microsoft/certificate/certificate-credential");
  const current = await repo.getEmailSettings();
  const values = emailSettingsSchema.parse({
    ...columnsToForm(current),
    msCredentialType: "certificate",
    msCertificate: upload,
  });
  const certificate = readCertificateUpload(upload);
  const credentialReplaced = current.msCredentialType !== "certificate" || Boolean(current.msCertificateKeyEnc);
  await repo.saveEmailSettings(
    values,
    ADMIN.email,
    { drop: [], reauthorizeAll: false, credentialReplaced },
    certificate,
  );
  return certificate.certificatePem;
}
