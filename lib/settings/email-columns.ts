import type { EmailSettings } from "@/lib/db/generated/sqlite/client";
import type { EmailSettingsInput, EmailSettingsValues } from "@/lib/settings/client-safe/email-schema";
import type { SecretField } from "@/lib/settings/client-safe/requirements";

/**
 * The one table of Email Settings fields: which form field fills which `EmailSettings` column, how
 * its value is converted each way, and its default. Adding a field: the schema, this table, a
 * migration and its UI.
 */
export type StoredEmailSettings = Omit<EmailSettings, "id">;
type BookkeepingColumn = "version" | "updatedAt" | "updatedBy";
type DataColumn = Exclude<keyof StoredEmailSettings, BookkeepingColumn>;

/**
 * - text: blank ↔ null; choice: as is; port: a number, blank ↔ null;
 * - secret: write-only (the form gets "" and a `…Clear` box; blank keeps the stored one);
 * - seconds: the form in seconds, the column in milliseconds;
 * - customCloud: kept only while the cloud is Custom;
 * - certificate: the certificate credential's public part, set with its key (the `msCertificate` secret), never typed;
 * - day: a calendar day, YYYY-MM-DD in the form, its start (00:00 UTC) in the column; blank ↔ null.
 */
type Kind = "text" | "choice" | "port" | "secret" | "seconds" | "customCloud" | "certificate" | "day";
type Column<C extends DataColumn> = { form: keyof EmailSettingsValues; kind: Kind; default: StoredEmailSettings[C] };

const EMAIL_COLUMNS: { [C in DataColumn]: Column<C> } = {
  smtpAuthType: { form: "smtpAuthType", kind: "choice", default: "none" },
  smtpHost: { form: "smtpHost", kind: "text", default: null },
  smtpPort: { form: "smtpPort", kind: "port", default: 587 },
  smtpSecurity: { form: "smtpSecurity", kind: "choice", default: "starttls" },
  smtpUser: { form: "smtpUser", kind: "text", default: null },
  smtpFrom: { form: "smtpFrom", kind: "text", default: null },
  smtpPasswordEnc: { form: "smtpPassword", kind: "secret", default: null },
  smtpSignInAs: { form: "smtpSignInAs", kind: "text", default: null },
  smtpConnectionType: { form: "smtpConnectionType", kind: "choice", default: "delegated" },
  smtpTransport: { form: "smtpTransport", kind: "choice", default: "smtp" },
  imapUser: { form: "imapUser", kind: "text", default: null },
  imapHost: { form: "imapHost", kind: "text", default: null },
  imapPort: { form: "imapPort", kind: "port", default: 993 },
  imapSecurity: { form: "imapSecurity", kind: "choice", default: "tls" },
  imapAuthType: { form: "imapAuthType", kind: "choice", default: "microsoft" },
  imapPasswordEnc: { form: "imapPassword", kind: "secret", default: null },
  imapSignInAs: { form: "imapSignInAs", kind: "text", default: null },
  imapConnectionType: { form: "imapConnectionType", kind: "choice", default: "delegated" },
  msClientId: { form: "msClientId", kind: "text", default: null },
  msClientSecretEnc: { form: "msClientSecret", kind: "secret", default: null },
  msClientSecretExpiresAt: { form: "msClientSecretExpiresOn", kind: "day", default: null },
  msTenantId: { form: "msTenantId", kind: "text", default: null },
  msCloud: { form: "msCloud", kind: "choice", default: "global" },
  msCredentialType: { form: "msCredentialType", kind: "choice", default: "secret" },
  msCertificatePem: { form: "msCertificate", kind: "certificate", default: null },
  msCertificateKeyEnc: { form: "msCertificate", kind: "secret", default: null },
  customAuthority: { form: "customAuthority", kind: "customCloud", default: null },
  customOutlookResource: { form: "customOutlookResource", kind: "customCloud", default: null },
  customGraphHost: { form: "customGraphHost", kind: "customCloud", default: null },
  connectTimeoutMs: { form: "connectTimeoutSeconds", kind: "seconds", default: 10_000 },
  overallTimeoutMs: { form: "overallTimeoutSeconds", kind: "seconds", default: 30_000 },
};

const DATA_COLUMNS = Object.keys(EMAIL_COLUMNS) as DataColumn[];

/** The columns whose values the audit trail may show (old → new): every one but the secrets and the certificate (its thumbprint is audited). */
export const AUDITABLE_COLUMNS: readonly DataColumn[] = DATA_COLUMNS.filter(
  (c) => EMAIL_COLUMNS[c].kind !== "secret" && EMAIL_COLUMNS[c].kind !== "certificate",
);

export const EMAIL_DEFAULTS: StoredEmailSettings = {
  ...(Object.fromEntries(DATA_COLUMNS.map((c) => [c, EMAIL_COLUMNS[c].default])) as Pick<
    StoredEmailSettings,
    DataColumn
  >),
  version: 0,
  updatedAt: new Date(0),
  updatedBy: null,
};

/** The column that holds each secret, encrypted (the table's `secret` rows). */
export const SECRET_COLUMNS = {
  smtpPassword: "smtpPasswordEnc",
  imapPassword: "imapPasswordEnc",
  msClientSecret: "msClientSecretEnc",
  msCertificate: "msCertificateKeyEnc",
} as const satisfies Record<SecretField, DataColumn>;

/** The form's values for stored settings (secrets blank: the browser never sees them). */
export function columnsToForm(s: StoredEmailSettings): EmailSettingsInput {
  const form: Record<string, unknown> = { version: s.version };
  for (const c of DATA_COLUMNS) {
    const { form: name, kind } = EMAIL_COLUMNS[c];
    const value = s[c];
    if (kind === "certificate") continue;
    if (kind === "secret") {
      form[name] = "";
      form[`${name}Clear`] = false;
    } else if (kind === "text" || kind === "customCloud") form[name] = value ?? "";
    else if (kind === "port") form[name] = value === null ? "" : String(value);
    else if (kind === "seconds") form[name] = Math.round(Number(value) / 1000);
    else if (kind === "day") form[name] = value instanceof Date ? value.toISOString().slice(0, 10) : "";
    else form[name] = value;
  }
  return form as EmailSettingsInput;
}

/**
 * The columns for parsed form values; `secret` seals each secret from what was typed, cleared or stored;
 * `certificatePem` gives the certificate's public part that goes with the `msCertificate` secret.
 */
export function formToColumns(
  values: EmailSettingsValues,
  secret: (name: SecretField) => string | null,
  certificatePem: () => string | null = () => null,
): Pick<StoredEmailSettings, DataColumn> {
  const row: Record<string, unknown> = {};
  for (const c of DATA_COLUMNS) {
    const { form: name, kind } = EMAIL_COLUMNS[c];
    const value = values[name];
    if (kind === "secret") row[c] = secret(name as SecretField);
    else if (kind === "certificate") row[c] = certificatePem();
    else if (kind === "seconds") row[c] = Number(value) * 1000;
    else if (kind === "day") row[c] = typeof value === "string" && value ? new Date(`${value}T00:00:00Z`) : null;
    else if (kind === "customCloud") row[c] = values.msCloud === "custom" ? value : null;
    else row[c] = value;
  }
  return row as Pick<StoredEmailSettings, DataColumn>;
}
