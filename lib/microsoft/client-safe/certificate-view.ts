/**
 * What the page shows of a certificate credential (its public part only): the SHA-256 thumbprint
 * Azure lists under Certificates & secrets, the subject and the validity, with a warning as the
 * expiry nears.
 */
export type CertificateDetails = {
  /** Hex, upper case, no separators (as MSAL's `thumbprintSha256` and the Azure portal show it). */
  thumbprintSha256: string;
  subject: string;
  notBefore: string;
  notAfter: string;
  /** "expired", "expires-soon" (within EXPIRY_WARNING_DAYS) or "valid". */
  state: "expired" | "expires-soon" | "valid";
};

export const EXPIRY_WARNING_DAYS = 30;

/** Where the `.cer` (the certificate's public part) is downloaded. */
export const CERTIFICATE_DOWNLOAD_PATH = "/settings/email/certificate";
