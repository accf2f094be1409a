import "server-only";
import { db } from "@/lib/db/client";
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

/** Encryption context: a ciphertext only decrypts in the column it was written for. */
const secretContext = (name: SecretField) => `EmailSettings.${name}`;

export async function getEmailSettings(): Promise<StoredEmailSettings & { saved: boolean }> {
  const row = await db.emailSettings.findUnique({ where: { id: 1 } });
  return row ? { ...row, saved: true } : { ...EMAIL_DEFAULTS, saved: false };
}

export type { StoredEmailSettings };

export function readSecret(stored: StoredEmailSettings, name: SecretField): string | null {
  const sealed = stored[SECRET_COLUMNS[name]];
  return sealed ? decryptSecret(sealed, secretContext(name)) : null;
}

export type SecretStatus = { set: boolean; endsWith?: string };

/** What the browser may see: every field but the secrets, which appear only as "set (ends …)". */
export function toFormValues(s: StoredEmailSettings): {
  values: EmailSettingsInput;
  secrets: Record<SecretField, SecretStatus>;
} {
  return {
    secrets: {
      smtpPassword: describeSecret(readSecretSafe(s, "smtpPassword")),
      imapPassword: describeSecret(readSecretSafe(s, "imapPassword")),
      msClientSecret: describeSecret(readSecretSafe(s, "msClientSecret")),
    },
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

/**
 * Saves when nobody saved since `values.version`. Returns the names of the changed fields (secrets
 * by name only), for the audit trail.
 */
export async function saveEmailSettings(values: EmailSettingsValues, actorEmail: string): Promise<string[]> {
  const current = await getEmailSettings();
  const next: Omit<StoredEmailSettings, "updatedAt"> = {
    ...formToColumns(values, (name) =>
      nextSecret(current[SECRET_COLUMNS[name]], values[name], values[`${name}Clear`], name),
    ),
    version: values.version + 1,
    updatedBy: actorEmail,
  };
  const changed = (Object.keys(next) as (keyof typeof next)[])
    .filter((k) => k !== "version" && k !== "updatedBy")
    .filter((k) => String(next[k]) !== String(current[k]))
    .map((k) => k.replace(/Enc$/, ""));

  if (values.version === 0 && !current.saved) {
    try {
      await db.emailSettings.create({ data: { id: 1, ...next } });
      return changed;
    } catch {
      // someone created the row first: the versioned update below reports the conflict
    }
  }
  const { count } = await db.emailSettings.updateMany({ where: { id: 1, version: values.version }, data: next });
  if (count === 0) {
    const latest = await getEmailSettings();
    throw new StaleSettingsError(latest.updatedBy, latest.updatedAt);
  }
  return changed;
}
