import { certificateDetails } from "@/lib/microsoft/certificate/certificate-details";
import { roleUsesApplication, roleUsesMicrosoft, type MailRole } from "@/lib/microsoft/client-safe/mail-roles";
import { validServerBaseUrl } from "@/lib/settings/client-safe/general-schema";
import {
  FIELD_LABELS,
  missing,
  tokenRequirements,
  usesCertificate,
  type RequirementSettings,
} from "@/lib/settings/client-safe/requirements";

/**
 * What Authorize needs before it can start, as reasons an admin can act on. Pure (no server-only):
 * the server computes it from saved settings, and the authorize route checks it again.
 */
export type AuthorizeSettings = RequirementSettings & {
  saved: boolean;
  msClientSecretEnc: string | null;
  msCertificateKeyEnc: string | null;
  msCertificatePem: string | null;
};

export function authorizeBlockers(s: AuthorizeSettings, serverBaseUrl: string | null, role: MailRole): string[] {
  if (!s.saved) return ["Save Email Settings first."];
  if (!roleUsesMicrosoft(s, role)) {
    return [
      role === "smtp"
        ? "SMTP auth type is not Microsoft OAuth (saved settings)."
        : "Set an Approval Reply Address with IMAP auth type Microsoft OAuth, and save.",
    ];
  }
  if (roleUsesApplication(s, role))
    return ["This mailbox uses an Application connection (app-only): nobody signs in, there is nothing to authorize."];
  const out: string[] = [];
  const absent = missing(tokenRequirements(s, role), s, {
    smtpPassword: true,
    imapPassword: true,
    msClientSecret: Boolean(s.msClientSecretEnc),
    msCertificate: Boolean(s.msCertificateKeyEnc && s.msCertificatePem),
  }).map((r) => r.field);
  for (const field of absent) {
    if (field === "customAuthority" || field === "customOutlookResource") continue;
    out.push(`${FIELD_LABELS[field]} is missing.`);
  }
  if (usesCertificate(s) && s.msCertificatePem && !absent.includes("msCertificate")) {
    const certificate = certificateDetails(s.msCertificatePem);
    if (certificate.state === "expired")
      out.push(
        `The certificate expired on ${certificate.notAfter.slice(0, 10)}: upload or generate a new one in Email Settings, and upload its .cer in Azure.`,
      );
  }
  if (absent.includes("customAuthority") || absent.includes("customOutlookResource"))
    out.push("The custom cloud needs an authority and an Outlook resource.");
  if (!serverBaseUrl) out.push("Set the Server Base URL in General Settings (it gives the redirect URI).");
  else if (!validServerBaseUrl(serverBaseUrl))
    out.push("The Server Base URL in General Settings must use https:// (http only on localhost).");
  return out;
}
