import "server-only";
import { db } from "@/lib/db/client";
import { forgetRecentRead, recentRead } from "@/lib/db/recent-read";
import { decryptSecret, describeSecret, encryptSecret } from "@/lib/crypto/secret-box";
import type { EmailSettingsInput, EmailSettingsValues } from "@/lib/settings/client-safe/email-schema";
import type { SecretField } from "@/lib/settings/client-safe/requirements";
import {
  columnsToForm,
  EMAIL_DEFAULTS,
  formToColumns,
  SECRET_COLUMNS,
  type StoredEmailSettings,
} from "@/lib/settings/email-columns";
import { StaleSettingsError } from "@/lib/settings/concurrency";
import { markAllNeedsReauth } from "@/lib/microsoft/connection-repository";
import type { SecretPlan } from "@/lib/settings/secret-destinations";
import type { CertificateCredential } from "@/lib/microsoft/certificate/certificate-credential";
import { certificateDetails, type CertificateDetails } from "@/lib/microsoft/certificate/certificate-details";

/** Encryption context: a ciphertext only decrypts in the column it was written for. */
export const secretContext = (name: SecretField) => `EmailSettings.${name}`;

export async function getEmailSettings(): Promise<StoredEmailSettings & { saved: boolean }> {
  const row = await db.emailSettings.findUnique({ where: { id: 1 } });
  return row ? { ...row, saved: true } : { ...EMAIL_DEFAULTS, saved: false };
}

/**
 * The settings as read at most a second ago: for the relay, which needs them for every message. A save in
 * this process is seen at once, another instance's within the second.
 */
export function recentEmailSettings(): ReturnType<typeof getEmailSettings> {
  return recentRead("email-settings", 1000, getEmailSettings);
}

export type { StoredEmailSettings };

export function readSecret(stored: StoredEmailSettings, name: SecretField): string | null {
  const sealed = stored[SECRET_COLUMNS[name]];
  return sealed ? decryptSecret(sealed, secretContext(name)) : null;
}

export type SecretStatus = { set: boolean; endsWith?: string };

/** The stored certificate credential's public details (thumbprint, subject, validity), or null. */
export function storedCertificate(s: StoredEmailSettings): CertificateDetails | null {
  if (!s.msCertificatePem || !s.msCertificateKeyEnc) return null;
  try {
    return certificateDetails(s.msCertificatePem);
  } catch {
    return null;
  }
}

/**
 * What the browser may see: every field but the secrets, which appear only as "set (ends …)", and the
 * certificate credential's public details (its private key is never read for the page).
 */
export function toFormValues(s: StoredEmailSettings): {
  values: EmailSettingsInput;
  secrets: Record<SecretField, SecretStatus>;
  certificate: CertificateDetails | null;
} {
  const certificate = storedCertificate(s);
  return {
    secrets: {
      smtpPassword: describeSecret(readSecretSafe(s, "smtpPassword")),
      imapPassword: describeSecret(readSecretSafe(s, "imapPassword")),
      msClientSecret: describeSecret(readSecretSafe(s, "msClientSecret")),
      msCertificate: { set: certificate !== null },
    },
    certificate,
    values: columnsToForm(s),
  };
}

function readSecretSafe(s: StoredEmailSettings, name: SecretField): string | null {
  try {
    return readSecret(s, name);
  } catch {
    return null; // shown as not set; the Test and Authorize paths report the decryption error
  }
}

function nextSecret(current: string | null, entered: string, clear: boolean, name: SecretField): string | null {
  if (entered !== "") return encryptSecret(entered, secretContext(name));
  return clear ? null : current;
}

const APP_CHANGED =
  "The Microsoft app registration (cloud, authority, tenant or client id) changed in Email Settings since this account was authorized.";
const CREDENTIAL_REPLACED =
  "The app registration's credential (client secret or certificate) was replaced in Email Settings since this account was authorized.";

/**
 * Saves when nobody saved since `values.version`. Returns the names of the changed fields (secrets
 * by name only), for the audit trail. `plan` (from `planSecrets` against the same stored row): the
 * unused secrets to remove, and whether every Microsoft connection must be authorized again (marked in
 * the same transaction as the save, so no stored token is used with the new app registration).
 */
export async function saveEmailSettings(
  values: EmailSettingsValues,
  actorEmail: string,
  plan: Pick<SecretPlan, "drop" | "reauthorizeAll"> & { credentialReplaced?: boolean } = {
    drop: [],
    reauthorizeAll: false,
  },
  /** The certificate credential read from this save's upload (checked), stored with it. */
  certificate: CertificateCredential | null = null,
): Promise<string[]> {
  const current = await getEmailSettings();
  const certificateGone = plan.drop.includes("msCertificate") || values.msCertificateClear;
  const next: Omit<StoredEmailSettings, "updatedAt"> = {
    ...formToColumns(
      values,
      (name) => {
        if (name === "msCertificate") {
          if (certificate) return encryptSecret(certificate.privateKeyPem, secretContext(name));
          return certificateGone ? null : current.msCertificateKeyEnc;
        }
        return plan.drop.includes(name)
          ? null
          : nextSecret(current[SECRET_COLUMNS[name]], values[name], values[`${name}Clear`], name);
      },
      () => (certificate ? certificate.certificatePem : certificateGone ? null : current.msCertificatePem),
    ),
    version: values.version + 1,
    updatedBy: actorEmail,
  };
  // The secret's expiry date belongs to the secret: none without a stored secret, and a replaced secret
  // keeps the old one's date only when a new date was entered with it (Azure gives every secret its own).
  const replaced = values.msClientSecret !== "";
  const sameDate = String(next.msClientSecretExpiresAt) === String(current.msClientSecretExpiresAt);
  if (!next.msClientSecretEnc || (replaced && sameDate)) next.msClientSecretExpiresAt = null;
  const changed = (Object.keys(next) as (keyof typeof next)[])
    .filter((k) => k !== "version" && k !== "updatedBy")
    .filter((k) => String(next[k]) !== String(current[k]))
    .map((k) => k.replace(/Enc$/, ""));

  if (!(await storeSettings(values.version, current.saved, next, plan))) {
    const latest = await getEmailSettings();
    throw new StaleSettingsError(latest.updatedBy, latest.updatedAt);
  }
  return changed;
}

/**
 * Writes the row when nobody saved since `version` (false: somebody did), marking the connections for
 * re-authorization in the same transaction; whatever happens, the relay's recent read is forgotten.
 */
async function storeSettings(
  version: number,
  saved: boolean,
  next: Omit<StoredEmailSettings, "updatedAt">,
  plan: Pick<SecretPlan, "reauthorizeAll"> & { credentialReplaced?: boolean },
): Promise<boolean> {
  try {
    if (version === 0 && !saved) {
      try {
        await db.emailSettings.create({ data: { id: 1, ...next } });
        return true;
      } catch {
        // someone created the row first: the versioned update below reports the conflict
      }
    }
    return await db.$transaction(async (tx) => {
      const { count } = await tx.emailSettings.updateMany({ where: { id: 1, version }, data: next });
      if (count === 1 && (plan.reauthorizeAll || plan.credentialReplaced))
        await markAllNeedsReauth(tx, plan.reauthorizeAll ? APP_CHANGED : CREDENTIAL_REPLACED);
      return count === 1;
    });
  } finally {
    forgetRecentRead("email-settings");
  }
}
