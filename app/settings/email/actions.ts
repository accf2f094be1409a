"use server";
import { revalidatePath } from "next/cache";
import { adminAction } from "@/lib/auth/guard";
import { confirmationNeeded, confirmedRecently } from "@/lib/auth/password-confirmation";
import { recordAudit } from "@/lib/audit/audit-log";
import { emailSettingsSchema, missingSecrets } from "@/lib/settings/client-safe/email-schema";
import { FIELD_LABELS } from "@/lib/settings/client-safe/requirements";
import { getEmailSettings, saveEmailSettings } from "@/lib/settings/email-repository";
import { AUDITABLE_COLUMNS } from "@/lib/settings/email-columns";
import { settingChanges } from "@/lib/audit/setting-changes";
import { planSecrets } from "@/lib/settings/secret-destinations";
import {
  CertificateUploadError,
  type CertificateCredential,
  readCertificateUpload,
} from "@/lib/microsoft/certificate/certificate-credential";
import { certificateDetails } from "@/lib/microsoft/certificate/certificate-details";
import { usesMicrosoft } from "@/lib/microsoft/client-safe/mail-roles";

/** The certificate this save uploads (or generates), checked; a bad upload is the field's error. */
function certificateOf(values: { msCertificate: Parameters<typeof readCertificateUpload>[0] | "" }) {
  if (values.msCertificate === "") return { certificate: null };
  try {
    return { certificate: readCertificateUpload(values.msCertificate) };
  } catch (error) {
    if (error instanceof CertificateUploadError) return { error: error.message };
    throw error;
  }
}

export const saveEmailSettingsAction = adminAction("saveEmailSettings", emailSettingsSchema, async (values, admin) => {
  const stored = await getEmailSettings();
  const plan = planSecrets(values, stored);
  const upload = certificateOf(values);
  const fieldErrors = {
    ...plan.errors,
    ...(upload.error ? { msCertificate: upload.error } : {}),
    ...missingSecrets(values, {
      smtpPassword: Boolean(stored.smtpPasswordEnc),
      imapPassword: Boolean(stored.imapPasswordEnc),
      msClientSecret: Boolean(stored.msClientSecretEnc),
      msCertificate: Boolean(stored.msCertificateKeyEnc),
    }),
  };
  if (Object.keys(fieldErrors).length) return { ok: false, error: "Some fields need attention.", fieldErrors };
  if (plan.sensitive && !(await confirmedRecently(admin))) return confirmationNeeded();

  const certificate: CertificateCredential | null = upload.certificate ?? null;
  // A new credential (another kind, or a certificate replacing the stored one): the connections authorize again.
  const credentialReplaced =
    stored.saved &&
    usesMicrosoft(values) &&
    (stored.msCredentialType !== values.msCredentialType || Boolean(certificate && stored.msCertificateKeyEnc));
  const changed = await saveEmailSettings(values, admin.email, { ...plan, credentialReplaced }, certificate);
  const after = await getEmailSettings();
  await recordAudit(admin, {
    action: "settings.email.saved",
    target: "Email Settings",
    details: {
      changed,
      values: settingChanges(stored, after, AUDITABLE_COLUMNS),
      removedSecrets: plan.drop,
      reauthorizeAll: plan.reauthorizeAll,
      ...(certificate ? { certificate: certificateDetails(certificate.certificatePem).thumbprintSha256 } : {}),
      ...(credentialReplaced ? { credentialReplaced } : {}),
    },
  });
  revalidatePath("/settings", "layout");
  const notes = [
    plan.drop.length
      ? `The stored ${plan.drop.map((s) => FIELD_LABELS[s]).join(" and ")} ${plan.drop.length === 1 ? "was" : "were"} removed: nothing uses ${plan.drop.length === 1 ? "it" : "them"} and ${plan.drop.length === 1 ? "its" : "their"} destination changed.`
      : null,
    plan.reauthorizeAll
      ? "The Microsoft app registration changed: every Microsoft connection needs to be authorized again (Re-Authorize below)."
      : credentialReplaced
        ? "The app registration's credential changed: every Microsoft connection needs to be authorized again (Re-Authorize below)."
        : null,
    certificate && values.msCertificate !== "" && values.msCertificate.kind === "generate"
      ? "A new certificate was generated: download its .cer and upload it in Azure under Certificates & secrets → Certificates."
      : null,
    values.msClientSecret !== "" && !after.msClientSecretExpiresAt
      ? "No expiry date was entered for the new Client Secret: enter the Expires date Azure shows next to it, to be warned 30, 7 and 1 days before."
      : null,
  ].filter(Boolean);
  const saved = changed.length ? "Email Settings saved." : "Saved (nothing had changed).";
  return { ok: true, message: [saved, ...notes].join(" ") };
});
