import "server-only";
import { db } from "@/lib/db/client";
import { decryptSecret, describeSecret, encryptSecret } from "@/lib/crypto/secret-box";
import type { EmailSettingsInput, EmailSettingsValues } from "@/lib/settings/client-safe/email-schema";
import { StaleSettingsError } from "@/lib/settings/concurrency";
import type { EmailSettings } from "@/lib/db/generated/sqlite/client";

export type StoredEmailSettings = Omit<EmailSettings, "id">;
type SecretName = "smtpPassword" | "imapPassword" | "msClientSecret";
const SECRET_COLUMNS = {
  smtpPassword: "smtpPasswordEnc",
  imapPassword: "imapPasswordEnc",
  msClientSecret: "msClientSecretEnc",
} as const;

/** Encryption context: a ciphertext only decrypts in the column it was written for. */
const secretContext = (name: SecretName) => `EmailSettings.${name}`;

export const EMAIL_DEFAULTS: StoredEmailSettings = {
  smtpAuthType: "none",
  smtpHost: null,
  smtpPort: 587,
  smtpSecurity: "starttls",
  smtpUser: null,
  smtpFrom: null,
  smtpPasswordEnc: null,
  smtpSignInAs: null,
  imapUser: null,
  imapHost: null,
  imapPort: 993,
  imapSecurity: "tls",
  imapAuthType: "microsoft",
  imapPasswordEnc: null,
  imapSignInAs: null,
  msClientId: null,
  msClientSecretEnc: null,
  msTenantId: null,
  msCloud: "global",
  customAuthority: null,
  customOutlookResource: null,
  connectTimeoutMs: 10_000,
  overallTimeoutMs: 30_000,
  version: 0,
  updatedAt: new Date(0),
  updatedBy: null,
};

export async function getEmailSettings(): Promise<StoredEmailSettings & { saved: boolean }> {
  const row = await db.emailSettings.findUnique({ where: { id: 1 } });
  return row ? { ...row, saved: true } : { ...EMAIL_DEFAULTS, saved: false };
}

export function readSecret(stored: StoredEmailSettings, name: SecretName): string | null {
  const sealed = stored[SECRET_COLUMNS[name]];
  return sealed ? decryptSecret(sealed, secretContext(name)) : null;
}

export type SecretStatus = { set: boolean; endsWith?: string };

/** What the browser may see: every field but the secrets, which appear only as "set (ends …)". */
export function toFormValues(s: StoredEmailSettings): {
  values: EmailSettingsInput;
  secrets: Record<SecretName, SecretStatus>;
} {
  const secrets = {
    smtpPassword: describeSecret(readSecretSafe(s, "smtpPassword")),
    imapPassword: describeSecret(readSecretSafe(s, "imapPassword")),
    msClientSecret: describeSecret(readSecretSafe(s, "msClientSecret")),
  };
  return {
    secrets,
    values: {
      smtpAuthType: s.smtpAuthType as EmailSettingsInput["smtpAuthType"],
      smtpHost: s.smtpHost ?? "",
      smtpPort: s.smtpPort === null ? "" : String(s.smtpPort),
      smtpSecurity: s.smtpSecurity as EmailSettingsInput["smtpSecurity"],
      smtpUser: s.smtpUser ?? "",
      smtpFrom: s.smtpFrom ?? "",
      smtpPassword: "",
      smtpPasswordClear: false,
      smtpSignInAs: s.smtpSignInAs ?? "",
      imapUser: s.imapUser ?? "",
      imapHost: s.imapHost ?? "",
      imapPort: s.imapPort === null ? "" : String(s.imapPort),
      imapSecurity: s.imapSecurity as EmailSettingsInput["imapSecurity"],
      imapAuthType: s.imapAuthType as EmailSettingsInput["imapAuthType"],
      imapPassword: "",
      imapPasswordClear: false,
      imapSignInAs: s.imapSignInAs ?? "",
      msClientId: s.msClientId ?? "",
      msClientSecret: "",
      msClientSecretClear: false,
      msTenantId: s.msTenantId ?? "",
      msCloud: s.msCloud as EmailSettingsInput["msCloud"],
      customAuthority: s.customAuthority ?? "",
      customOutlookResource: s.customOutlookResource ?? "",
      connectTimeoutSeconds: Math.round(s.connectTimeoutMs / 1000),
      overallTimeoutSeconds: Math.round(s.overallTimeoutMs / 1000),
      version: s.version,
    },
  };
}

function readSecretSafe(s: StoredEmailSettings, name: SecretName): string | null {
  try {
    return readSecret(s, name);
  } catch {
    return null; // shown as not set; the Test and Authorize paths report the decryption error
  }
}

function nextSecret(current: string | null, entered: string, clear: boolean, name: SecretName): string | null {
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
    smtpAuthType: values.smtpAuthType,
    smtpHost: values.smtpHost,
    smtpPort: values.smtpPort,
    smtpSecurity: values.smtpSecurity,
    smtpUser: values.smtpUser,
    smtpFrom: values.smtpFrom,
    smtpPasswordEnc: nextSecret(current.smtpPasswordEnc, values.smtpPassword, values.smtpPasswordClear, "smtpPassword"),
    smtpSignInAs: values.smtpSignInAs,
    imapUser: values.imapUser,
    imapHost: values.imapHost,
    imapPort: values.imapPort,
    imapSecurity: values.imapSecurity,
    imapAuthType: values.imapAuthType,
    imapPasswordEnc: nextSecret(current.imapPasswordEnc, values.imapPassword, values.imapPasswordClear, "imapPassword"),
    imapSignInAs: values.imapSignInAs,
    msClientId: values.msClientId,
    msClientSecretEnc: nextSecret(
      current.msClientSecretEnc,
      values.msClientSecret,
      values.msClientSecretClear,
      "msClientSecret",
    ),
    msTenantId: values.msTenantId,
    msCloud: values.msCloud,
    customAuthority: values.msCloud === "custom" ? values.customAuthority : null,
    customOutlookResource: values.msCloud === "custom" ? values.customOutlookResource : null,
    connectTimeoutMs: values.connectTimeoutSeconds * 1000,
    overallTimeoutMs: values.overallTimeoutSeconds * 1000,
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
