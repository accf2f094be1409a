import type { AuthorizeSettings } from "@/lib/microsoft/authorize-blockers";
import type { ConnectionView } from "@/lib/microsoft/mail-role-status";

/** The per-role status tests' fixture: saved Email Settings for two Microsoft roles, and a connection row. */
export const settings: AuthorizeSettings = {
  saved: true,
  smtpAuthType: "microsoft",
  smtpHost: "smtp.office365.com",
  smtpPort: 587,
  smtpUser: "mailer@contoso.com",
  smtpFrom: null,
  smtpSignInAs: null,
  imapUser: "approvals@contoso.com",
  imapHost: "outlook.office365.com",
  imapPort: 993,
  imapAuthType: "microsoft",
  imapSignInAs: "Mailer@contoso.com",
  msClientId: "11111111-2222-3333-4444-555555555555",
  msClientSecretEnc: "sealed",
  msTenantId: "contoso.onmicrosoft.com",
  msCloud: "global",
  msCredentialType: "secret",
  msCertificateKeyEnc: null,
  msCertificatePem: null,
  customAuthority: null,
  customOutlookResource: null,
};
export const general = { serverBaseUrl: "https://mail.contoso.com/", updatedAt: new Date("2025-01-01T00:00:00Z") };

export function connection(over: Partial<ConnectionView> = {}): ConnectionView {
  return {
    id: "c1",
    account: "mailer@contoso.com",
    username: "mailer@contoso.com",
    tenantId: null,
    scopes: ["https://outlook.office.com/SMTP.Send", "https://outlook.office.com/IMAP.AccessAsUser.All", "openid"],
    authorizedAt: "2025-02-01T10:00:00.000Z",
    authorizedBy: "admin@contoso.com",
    lastRefreshAt: null,
    status: "connected",
    lastError: null,
    lastErrorCode: null,
    lastErrorAt: null,
    redirectUri: null,
    ...over,
  } as ConnectionView;
}
