import type { EmailSettingsInput } from "@/lib/settings/client-safe/email-schema";

/** A complete, valid Email Settings form (Microsoft OAuth for both mailboxes, Global cloud): tests override what they test. */
export function emailSettingsInput(overrides: Partial<EmailSettingsInput> = {}): EmailSettingsInput {
  const input: EmailSettingsInput = {
    smtpAuthType: "microsoft",
    smtpHost: "smtp.office365.com",
    smtpPort: "587",
    smtpSecurity: "starttls",
    smtpUser: "mailer@contoso.com",
    smtpFrom: "",
    smtpPassword: "",
    smtpPasswordClear: false,
    smtpSignInAs: "",
    imapUser: "approvals@contoso.com",
    imapHost: "outlook.office365.com",
    imapPort: 993,
    imapSecurity: "tls",
    imapAuthType: "microsoft",
    imapPassword: "",
    imapPasswordClear: false,
    imapSignInAs: "",
    msClientId: "11111111-2222-3333-4444-555555555555",
    msClientSecret: "abc~secret-value-1234567890",
    msClientSecretClear: false,
    msTenantId: "contoso.onmicrosoft.com",
    msCloud: "global",
    customAuthority: "",
    customOutlookResource: "",
    connectTimeoutSeconds: 10,
    overallTimeoutSeconds: 30,
    version: 0,
  };
  return { ...input, ...overrides };
}
