import "@/lib/http/client-safe/zod-without-eval"; // first: before any schema is built
import { z } from "zod";
import { CLOUD_IDS } from "@/lib/microsoft/client-safe/clouds";
import {
  checkOrigin,
  emailField,
  versionField,
  wholeNumber,
  guidField,
  hostField,
  optionalDay,
  optionalText,
  portField,
  secretField,
  tenantField,
} from "@/lib/settings/client-safe/fields";
import { CONNECTION_TYPES, usesMicrosoft } from "@/lib/microsoft/client-safe/mail-roles";
import { SMTP_TRANSPORTS } from "@/lib/microsoft/client-safe/smtp-transport";
import {
  applicationProblems,
  isSecretField,
  missing,
  requiredMessage,
  saveRequirements,
  type SecretField,
  unencryptedCredentialProblem,
} from "@/lib/settings/client-safe/requirements";

export const SMTP_AUTH_TYPES = ["none", "password", "microsoft"] as const;
export const SMTP_SECURITY = ["starttls", "tls", "none"] as const;
export const IMAP_AUTH_TYPES = ["microsoft", "password"] as const;
export const IMAP_SECURITY = ["tls", "starttls", "none"] as const;

export const CREDENTIAL_TYPES = ["secret", "certificate"] as const;
export const CREDENTIAL_LABELS: Record<(typeof CREDENTIAL_TYPES)[number], string> = {
  secret: "Client secret",
  certificate: "Certificate",
};

/** Upload size limits (characters): a PEM certificate or key, a PFX as base64. */
export const MAX_PEM_CHARS = 20_000;
export const MAX_PFX_BASE64_CHARS = 60_000;
const password = z.string().max(256, "At most 256 characters").default("");

/**
 * A certificate credential to store with this save: a PEM certificate + its private key (and the key's
 * password when it is encrypted), a PFX (base64) and its password, or a key and self-signed certificate
 * the server generates. Parsed and checked on the server (lib/microsoft/certificate).
 */
export const certificateUploadSchema = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("pem"),
    certificate: z
      .string()
      .min(1, "Choose the certificate file")
      .max(MAX_PEM_CHARS, "The certificate file is too large"),
    privateKey: z
      .string()
      .min(1, "Choose the private key file")
      .max(MAX_PEM_CHARS, "The private key file is too large"),
    password,
  }),
  z.strictObject({
    kind: z.literal("pfx"),
    pfxBase64: z
      .string()
      .min(1, "Choose the PFX file")
      .max(MAX_PFX_BASE64_CHARS, "The PFX file is too large")
      .regex(/^[A-Za-z0-9+/]+={0,2}$/, "The PFX file could not be read"),
    password,
  }),
  z.strictObject({ kind: z.literal("generate"), subject: z.string().max(64, "At most 64 characters").optional() }),
]);
export type CertificateUpload = z.output<typeof certificateUploadSchema>;

export const SMTP_AUTH_LABELS: Record<(typeof SMTP_AUTH_TYPES)[number], string> = {
  none: "None",
  password: "Password",
  microsoft: "Microsoft OAuth",
};

/** Each field on its own (the rules across fields follow). */
const fieldsSchema = z.object({
  smtpAuthType: z.enum(SMTP_AUTH_TYPES, { error: "Choose an SMTP authentication type" }),
  smtpHost: hostField("SMTP host"),
  smtpPort: portField("SMTP port"),
  smtpSecurity: z.enum(SMTP_SECURITY, { error: "Choose STARTTLS, TLS or none" }),
  smtpUser: emailField("SMTP user"),
  smtpFrom: emailField("From address"),
  smtpPassword: secretField,
  smtpPasswordClear: z.boolean().default(false),
  smtpSignInAs: emailField("Sign in as"),
  smtpConnectionType: z.enum(CONNECTION_TYPES, { error: "Choose Delegated or Application" }).default("delegated"),
  smtpTransport: z.enum(SMTP_TRANSPORTS, { error: "Choose SMTP or Microsoft Graph" }).default("smtp"),

  imapUser: emailField("Approval Reply Address"),
  imapHost: hostField("IMAP host"),
  imapPort: portField("IMAP port"),
  imapSecurity: z.enum(IMAP_SECURITY, { error: "Choose TLS, STARTTLS or none" }),
  imapAuthType: z.enum(IMAP_AUTH_TYPES, { error: "Choose Microsoft OAuth or Password" }),
  imapPassword: secretField,
  imapPasswordClear: z.boolean().default(false),
  imapSignInAs: emailField("Sign in as"),
  imapConnectionType: z.enum(CONNECTION_TYPES, { error: "Choose Delegated or Application" }).default("delegated"),

  msClientId: guidField("Client Id"),
  msClientSecret: secretField,
  msClientSecretClear: z.boolean().default(false),
  /** The client secret's Expires date from Azure (optional): the expiry warnings read it. */
  msClientSecretExpiresOn: optionalDay("Secret expires").default(""),
  msTenantId: tenantField,
  msCloud: z.enum(CLOUD_IDS, { error: "Choose a Microsoft cloud" }),
  msCredentialType: z.enum(CREDENTIAL_TYPES, { error: "Choose Client secret or Certificate" }).default("secret"),
  msCertificate: z.union([z.literal(""), certificateUploadSchema]).default(""),
  msCertificateClear: z.boolean().default(false),
  customAuthority: optionalText(200),
  customOutlookResource: optionalText(200),
  customGraphHost: optionalText(200).prefault(""),

  connectTimeoutSeconds: wholeNumber("Connect timeout (seconds)", 1, 120),
  overallTimeoutSeconds: wholeNumber("Overall timeout (seconds)", 1, 300),

  version: versionField,
});

const DECIDING_FIELDS = new Set([
  "smtpAuthType",
  "smtpSecurity",
  "imapAuthType",
  "imapSecurity",
  "msCloud",
  "smtpConnectionType",
  "smtpTransport",
  "imapConnectionType",
  "msCredentialType",
]);

/**
 * The rules across fields: what each role and the app registration require, and what may not go
 * together. `v` may hold fields that failed their own parse (raw input): every rule reads defensively.
 */
function crossFieldRules(v: z.output<typeof fieldsSchema>, ctx: z.RefinementCtx): void {
  const need = (path: keyof typeof v, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
  const text = (value: unknown) => (typeof value === "string" ? value.trim() : "");
  const failed = new Set(ctx.issues?.map((i) => String(i.path?.[0])) ?? []);

  for (const r of saveRequirements(v)) {
    if (!isSecretField(r.field) && !v[r.field] && !failed.has(r.field)) need(r.field, requiredMessage(r));
  }
  if (v.smtpTransport === "graph" && v.smtpAuthType !== "microsoft")
    need(
      "smtpTransport",
      "Microsoft Graph sends with Microsoft OAuth: choose Microsoft OAuth as the SMTP authentication",
    );
  if (v.smtpAuthType !== "microsoft" && v.smtpSignInAs && !failed.has("smtpSignInAs"))
    need("smtpSignInAs", "Sign in as is only used with Microsoft OAuth");
  for (const [field, message] of Object.entries(applicationProblems(v)) as [keyof typeof v, string][]) {
    if (!failed.has(String(field))) need(field, message);
  }

  for (const role of ["smtp", "imap"] as const) {
    const field = role === "smtp" ? "smtpSecurity" : "imapSecurity";
    const problem = failed.has(`${role}Host`) ? null : unencryptedCredentialProblem(v, role);
    if (problem) need(field, problem);
  }

  if (usesMicrosoft(v) && v.msCredentialType === "certificate") {
    if (v.msCertificateClear === true && v.msCertificate === "")
      need(
        "msCertificate",
        "Certificate authentication needs a certificate: upload or generate one instead of removing it",
      );
  } else if (usesMicrosoft(v)) {
    if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text(v.msClientSecret))) {
      need(
        "msClientSecret",
        "This looks like the secret's ID (a GUID). Paste the secret's Value from Azure (Certificates & secrets) instead",
      );
    }
    if (v.msClientSecretClear === true)
      need("msClientSecret", "Microsoft OAuth needs a client secret: enter a new one instead of clearing it");
  }
  for (const [field, label, allowPath] of [
    ["customAuthority", "Authority", false],
    ["customOutlookResource", "Outlook resource", true],
    ["customGraphHost", "Graph host", false],
  ] as const) {
    if (v.msCloud !== "custom" || failed.has(field) || !text(v[field])) continue;
    const problem = checkOrigin(text(v[field]), label, allowPath);
    if (problem) need(field, problem);
  }
  if (
    typeof v.overallTimeoutSeconds === "number" &&
    typeof v.connectTimeoutSeconds === "number" &&
    v.overallTimeoutSeconds < v.connectTimeoutSeconds
  ) {
    need("overallTimeoutSeconds", "The overall timeout must be at least the connect timeout");
  }
}

/**
 * Email Settings: one schema for the form (react-hook-form), the server action and the repository.
 * Secrets are write-only: a blank secret keeps the stored one; the matching `…Clear` box removes it.
 * The rules across fields run even when other fields have errors, so one save reports every error at
 * once (an empty Tenant Id together with a bad port); they are skipped only when what decides the
 * requirements is itself invalid (an auth type, a security, the cloud) or the input is not an object.
 */
export const emailSettingsSchema = fieldsSchema.superRefine(crossFieldRules, {
  when: ({ value, issues }) =>
    typeof value === "object" &&
    value !== null &&
    !issues.some((i) => !i.path?.length || DECIDING_FIELDS.has(String(i.path[0]))),
});

export type EmailSettingsInput = z.input<typeof emailSettingsSchema>;
export type EmailSettingsValues = z.output<typeof emailSettingsSchema>;

/** Which secrets a submission needs that are neither entered nor stored (checked on the server against what is stored). */
export function missingSecrets(
  v: EmailSettingsValues,
  stored: Record<SecretField, boolean>,
): Partial<Record<SecretField, string>> {
  const entered = {
    smtpPassword: v.smtpPassword !== "" || (stored.smtpPassword && !v.smtpPasswordClear),
    imapPassword: v.imapPassword !== "" || (stored.imapPassword && !v.imapPasswordClear),
    msClientSecret: v.msClientSecret !== "" || (stored.msClientSecret && !v.msClientSecretClear),
    msCertificate: v.msCertificate !== "" || (stored.msCertificate && !v.msCertificateClear),
  };
  const errors: Partial<Record<SecretField, string>> = {};
  for (const r of missing(saveRequirements(v), v, entered)) {
    if (isSecretField(r.field)) errors[r.field] = requiredMessage(r);
  }
  return errors;
}
