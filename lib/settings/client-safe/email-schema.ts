import { z } from "zod";
import { CLOUD_IDS } from "@/lib/microsoft/clouds";
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

    if (!v.smtpHost) need("smtpHost", "SMTP host is required, e.g. smtp.office365.com");
    if (v.smtpPort === null) need("smtpPort", "SMTP port is required, e.g. 587");
    if (v.smtpAuthType !== "none" && !v.smtpUser) {
      need(
        "smtpUser",
        v.smtpAuthType === "microsoft"
          ? "SMTP user is required: the mailbox that sends, e.g. mailer@contoso.com"
          : "SMTP user is required for password authentication",
      );
    }
    if (v.smtpAuthType !== "microsoft" && v.smtpSignInAs)
      need("smtpSignInAs", "Sign in as is only used with Microsoft OAuth");

    if (v.imapUser) {
      if (!v.imapHost)
        need("imapHost", "IMAP host is required when an Approval Reply Address is set, e.g. outlook.office365.com");
      if (v.imapPort === null) need("imapPort", "IMAP port is required, e.g. 993");
    }

    const usesMicrosoft = v.smtpAuthType === "microsoft" || (v.imapUser !== null && v.imapAuthType === "microsoft");
    if (usesMicrosoft) {
      if (!v.msClientId)
        need(
          "msClientId",
          "Client Id is required for Microsoft OAuth (Azure: App registrations → your app → Application (client) ID)",
        );
      if (!v.msTenantId) need("msTenantId", "Tenant Id is required for Microsoft OAuth (Azure: Directory (tenant) ID)");
      if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v.msClientSecret.trim())) {
        need(
          "msClientSecret",
          "This looks like the secret's ID (a GUID). Paste the secret's Value from Azure (Certificates & secrets) instead",
        );
      }
      if (v.msClientSecretClear)
        need("msClientSecret", "Microsoft OAuth needs a client secret: enter a new one instead of clearing it");
    }
    if (v.msCloud === "custom") {
      if (!v.customAuthority)
        need("customAuthority", "Authority is required for a custom cloud, e.g. https://login.example.test");
      else {
        const problem = checkOrigin(v.customAuthority, "Authority", false);
        if (problem) need("customAuthority", problem);
      }
      if (!v.customOutlookResource)
        need(
          "customOutlookResource",
          "Outlook resource is required for a custom cloud, e.g. https://outlook.office.com",
        );
      else {
        const problem = checkOrigin(v.customOutlookResource, "Outlook resource", true);
        if (problem) need("customOutlookResource", problem);
      }
    }
    if (v.overallTimeoutSeconds < v.connectTimeoutSeconds) {
      need("overallTimeoutSeconds", "The overall timeout must be at least the connect timeout");
    }
  });

export type EmailSettingsInput = z.input<typeof emailSettingsSchema>;
export type EmailSettingsValues = z.output<typeof emailSettingsSchema>;

/** Which stored secrets a submission needs, checked on the server against what is stored. */
export function missingSecrets(
  v: EmailSettingsValues,
  stored: { smtpPassword: boolean; imapPassword: boolean; msClientSecret: boolean },
): Partial<Record<"smtpPassword" | "imapPassword" | "msClientSecret", string>> {
  const has = (entered: string, clear: boolean, isStored: boolean) => entered !== "" || (isStored && !clear);
  const errors: Partial<Record<"smtpPassword" | "imapPassword" | "msClientSecret", string>> = {};
  if (v.smtpAuthType === "password" && !has(v.smtpPassword, v.smtpPasswordClear, stored.smtpPassword)) {
    errors.smtpPassword = "SMTP password is required for password authentication";
  }
  if (v.imapUser && v.imapAuthType === "password" && !has(v.imapPassword, v.imapPasswordClear, stored.imapPassword)) {
    errors.imapPassword = "IMAP password is required for password authentication";
  }
  const usesMicrosoft = v.smtpAuthType === "microsoft" || (v.imapUser !== null && v.imapAuthType === "microsoft");
  if (usesMicrosoft && !has(v.msClientSecret, v.msClientSecretClear, stored.msClientSecret)) {
    errors.msClientSecret =
      "Client Secret is required: paste the secret's Value from Azure (Certificates & secrets), not its Secret ID";
  }
  return errors;
}
