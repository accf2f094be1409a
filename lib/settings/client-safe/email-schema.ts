import "@/lib/http/client-safe/zod-without-eval"; // first: before any schema is built
import { z } from "zod";
import { CLOUD_IDS } from "@/lib/microsoft/client-safe/clouds";
import {
  checkOrigin,
  emailField,
  guidField,
  hostField,
  optionalText,
  portField,
  secretField,
  tenantField,
} from "@/lib/settings/client-safe/fields";
import { usesMicrosoft } from "@/lib/microsoft/client-safe/mail-roles";
import {
  isSecretField,
  missing,
  requiredMessage,
  saveRequirements,
  type SecretField,
} from "@/lib/settings/client-safe/requirements";

export const SMTP_AUTH_TYPES = ["none", "password", "microsoft"] as const;
export const SMTP_SECURITY = ["starttls", "tls", "none"] as const;
export const IMAP_AUTH_TYPES = ["microsoft", "password"] as const;
export const IMAP_SECURITY = ["tls", "starttls", "none"] as const;

export const SMTP_AUTH_LABELS: Record<(typeof SMTP_AUTH_TYPES)[number], string> = {
  none: "None",
  password: "Password",
  microsoft: "Microsoft OAuth",
};

/**
 * Email Settings: one schema for the form (react-hook-form), the server action and the repository.
 * Secrets are write-only: a blank secret keeps the stored one; the matching `…Clear` box removes it.
 */
export const emailSettingsSchema = z
  .object({
    smtpAuthType: z.enum(SMTP_AUTH_TYPES, { error: "Choose an SMTP authentication type" }),
    smtpHost: hostField("SMTP host"),
    smtpPort: portField("SMTP port"),
    smtpSecurity: z.enum(SMTP_SECURITY, { error: "Choose STARTTLS, TLS or none" }),
    smtpUser: emailField("SMTP user"),
    smtpFrom: emailField("From address"),
    smtpPassword: secretField,
    smtpPasswordClear: z.boolean().default(false),
    smtpSignInAs: emailField("Sign in as"),

    imapUser: emailField("Approval Reply Address"),
    imapHost: hostField("IMAP host"),
    imapPort: portField("IMAP port"),
    imapSecurity: z.enum(IMAP_SECURITY, { error: "Choose TLS, STARTTLS or none" }),
    imapAuthType: z.enum(IMAP_AUTH_TYPES, { error: "Choose Microsoft OAuth or Password" }),
    imapPassword: secretField,
    imapPasswordClear: z.boolean().default(false),
    imapSignInAs: emailField("Sign in as"),

    msClientId: guidField("Client Id"),
    msClientSecret: secretField,
    msClientSecretClear: z.boolean().default(false),
    msTenantId: tenantField,
    msCloud: z.enum(CLOUD_IDS, { error: "Choose a Microsoft cloud" }),
    customAuthority: optionalText(200),
    customOutlookResource: optionalText(200),

    connectTimeoutSeconds: z.coerce
      .number({ error: "Connect timeout must be a number" })
      .int("Whole seconds")
      .min(1, "At least 1 second")
      .max(120, "At most 120 seconds"),
    overallTimeoutSeconds: z.coerce
      .number({ error: "Overall timeout must be a number" })
      .int("Whole seconds")
      .min(1, "At least 1 second")
      .max(300, "At most 300 seconds"),

    version: z.coerce.number().int().min(0),
  })
  .superRefine((v, ctx) => {
    const need = (path: keyof typeof v, message: string) => ctx.addIssue({ code: "custom", path: [path], message });

    for (const r of saveRequirements(v)) {
      if (!isSecretField(r.field) && !v[r.field]) need(r.field, requiredMessage(r));
    }
    if (v.smtpAuthType !== "microsoft" && v.smtpSignInAs)
      need("smtpSignInAs", "Sign in as is only used with Microsoft OAuth");

    if (usesMicrosoft(v)) {
      if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v.msClientSecret.trim())) {
        need(
          "msClientSecret",
          "This looks like the secret's ID (a GUID). Paste the secret's Value from Azure (Certificates & secrets) instead",
        );
      }
      if (v.msClientSecretClear)
        need("msClientSecret", "Microsoft OAuth needs a client secret: enter a new one instead of clearing it");
    }
    if (v.msCloud === "custom" && v.customAuthority) {
      const problem = checkOrigin(v.customAuthority, "Authority", false);
      if (problem) need("customAuthority", problem);
    }
    if (v.msCloud === "custom" && v.customOutlookResource) {
      const problem = checkOrigin(v.customOutlookResource, "Outlook resource", true);
      if (problem) need("customOutlookResource", problem);
    }
    if (v.overallTimeoutSeconds < v.connectTimeoutSeconds) {
      need("overallTimeoutSeconds", "The overall timeout must be at least the connect timeout");
    }
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
  };
  const errors: Partial<Record<SecretField, string>> = {};
  for (const r of missing(saveRequirements(v), v, entered)) {
    if (isSecretField(r.field)) errors[r.field] = requiredMessage(r);
  }
  return errors;
}
