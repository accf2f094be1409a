import { SEED_APP, SEED_TENANT, SEED_USERS } from "./seed";

/**
 * Mail Connect's Email Settings pointing at a running sandbox, as an administrator would enter them:
 * a Custom cloud whose authority is the sandbox, SMTP (STARTTLS) and IMAP (TLS) on its ports, the
 * seeded app and tenant, mailer@ sending and approvals@ as the Approval Reply Address. The shape is
 * the Email Settings form's (ports as typed into the form); the demo, the Vitest helpers and the
 * browser specs start from it.
 */

interface SandboxEndpoints {
  authorityOrigin: string;
  smtp: { host: string; port: number };
  imap: { host: string; port: number };
}

export function sandboxEmailSettings(
  sandbox: SandboxEndpoints,
  overrides: Partial<{
    smtpUser: string;
    smtpSignInAs: string;
    imapUser: string;
    imapSignInAs: string;
    msClientId: string;
    msClientSecret: string;
    msTenantId: string;
    smtpConnectionType: "delegated" | "application";
    imapConnectionType: "delegated" | "application";
    smtpTransport: "smtp" | "graph";
    customGraphHost: string;
    version: number;
  }> = {},
) {
  return {
    smtpAuthType: "microsoft",
    smtpHost: sandbox.smtp.host,
    smtpPort: String(sandbox.smtp.port),
    smtpSecurity: "starttls",
    smtpUser: overrides.smtpUser ?? SEED_USERS.mailer.email,
    smtpFrom: "",
    smtpPassword: "",
    smtpSignInAs: overrides.smtpSignInAs ?? "",
    smtpConnectionType: overrides.smtpConnectionType ?? "delegated",
    smtpTransport: overrides.smtpTransport ?? "smtp",
    imapUser: overrides.imapUser ?? SEED_USERS.approvals.email,
    imapHost: sandbox.imap.host,
    imapPort: String(sandbox.imap.port),
    imapSecurity: "tls",
    imapAuthType: "microsoft",
    imapPassword: "",
    imapSignInAs: overrides.imapSignInAs ?? "",
    imapConnectionType: overrides.imapConnectionType ?? "delegated",
    msClientId: overrides.msClientId ?? SEED_APP.clientId,
    msClientSecret: overrides.msClientSecret ?? SEED_APP.secretValue,
    msTenantId: overrides.msTenantId ?? SEED_TENANT.id,
    msCloud: "custom",
    customAuthority: sandbox.authorityOrigin,
    customOutlookResource: "https://outlook.office.com",
    // the sandbox answers Microsoft Graph (`/v1.0/…`) on the identity server's origin
    customGraphHost: overrides.customGraphHost ?? sandbox.authorityOrigin,
    connectTimeoutSeconds: 10,
    overallTimeoutSeconds: 30,
    version: overrides.version ?? 0,
  };
}
