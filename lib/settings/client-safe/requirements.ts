import {
  MAIL_ROLES,
  ROLE_LABELS,
  roleUsesApplication,
  usesMicrosoft,
  type MailRole,
  type RoleSettings,
} from "@/lib/microsoft/client-safe/mail-roles";

/**
 * What Email Settings require, written once: each mailbox role for its auth mode, and the Microsoft
 * app registration (with the custom cloud's authority and resource). The schema's refinement, the
 * form's missing-secret check, the Authorize blockers, the checks and the MSAL configuration read it.
 */

/** The stored secrets; `msCertificate` is the certificate credential's private key (uploaded or generated, never typed). */
export type SecretField = "smtpPassword" | "imapPassword" | "msClientSecret" | "msCertificate";
export type RequiredField =
  | "smtpHost"
  | "smtpPort"
  | "smtpUser"
  | "smtpFrom"
  | "imapUser"
  | "imapHost"
  | "imapPort"
  | "msClientId"
  | "msTenantId"
  | "customAuthority"
  | "customOutlookResource"
  | "customGraphHost"
  | SecretField;

/** The one label table: each required field as the form names it. */
export const FIELD_LABELS: Record<RequiredField, string> = {
  smtpHost: "SMTP host",
  smtpPort: "SMTP port",
  smtpUser: ROLE_LABELS.smtp.mailboxField,
  smtpFrom: "From address",
  smtpPassword: "SMTP password",
  imapUser: ROLE_LABELS.imap.mailboxField,
  imapHost: "IMAP host",
  imapPort: "IMAP port",
  imapPassword: "IMAP password",
  msClientId: "Client Id",
  msTenantId: "Tenant Id",
  msClientSecret: "Client Secret",
  msCertificate: "Certificate",
  customAuthority: "Authority",
  customOutlookResource: "Outlook resource",
  customGraphHost: "Graph host",
};

/**
 * A required field and why (appended to "<label> is required" on the form). `toSend`: needed to
 * send the test message, not to save the settings.
 */
export type Requirement = { field: RequiredField; why: string; toSend?: boolean };

export type RequirementSettings = RoleSettings & {
  smtpHost: string | null;
  smtpPort: number | null;
  smtpFrom: string | null;
  imapHost: string | null;
  imapPort: number | null;
  msClientId: string | null;
  msTenantId: string | null;
  msCloud: string;
  /** How the app registration authenticates: "secret" (a client secret) or "certificate". */
  msCredentialType: string;
  customAuthority: string | null;
  customOutlookResource: string | null;
  /** The sending mailbox's transport: "smtp" (default) or "graph". */
  smtpTransport?: string;
  customGraphHost?: string | null;
};

const SECRET_FIELDS: readonly SecretField[] = ["smtpPassword", "imapPassword", "msClientSecret", "msCertificate"];

export function isSecretField(field: RequiredField): field is SecretField {
  return (SECRET_FIELDS as readonly string[]).includes(field);
}

/** The form's message for a missing field. */
export function requiredMessage(r: Requirement): string {
  return `${FIELD_LABELS[r.field]} is required${r.why}`;
}

const MAILBOX: Record<MailRole, Requirement> = {
  smtp: { field: "smtpUser", why: ": the mailbox that sends, e.g. mailer@contoso.com" },
  imap: { field: "imapUser", why: ": the mailbox that receives approval replies" },
};

/** What a mailbox role needs for its auth mode (the SMTP sender always; the reply mailbox once it is used). */
export function roleRequirements(s: RequirementSettings, role: MailRole): Requirement[] {
  if (role === "smtp") {
    // A sender on Microsoft Graph posts to Graph: no SMTP host to connect to.
    const graph = s.smtpAuthType === "microsoft" && s.smtpTransport === "graph";
    return [
      ...(graph
        ? []
        : ([
            { field: "smtpHost", why: ", e.g. smtp.office365.com" },
            { field: "smtpPort", why: ", e.g. 587" },
          ] as const)),
      ...(s.smtpAuthType === "microsoft"
        ? [MAILBOX.smtp]
        : s.smtpAuthType === "password"
          ? [{ field: "smtpUser", why: " for password authentication" } as const]
          : [{ field: "smtpFrom", why: " without authentication", toSend: true } as const]),
      ...(s.smtpAuthType === "password"
        ? [{ field: "smtpPassword", why: " for password authentication" } as const]
        : []),
    ];
  }
  return [
    MAILBOX.imap,
    { field: "imapHost", why: " when an Approval Reply Address is set, e.g. outlook.office365.com" },
    { field: "imapPort", why: ", e.g. 993" },
    ...(s.imapAuthType === "password" ? [{ field: "imapPassword", why: " for password authentication" } as const] : []),
  ];
}

/** What the Custom cloud needs: its authority and Outlook resource (and its Graph host when the sender uses Graph). */
function cloudRequirements(s: Pick<RequirementSettings, "msCloud" | "smtpTransport">): Requirement[] {
  if (s.msCloud !== "custom") return [];
  return [
    { field: "customAuthority", why: " for a custom cloud, e.g. https://login.example.test" },
    { field: "customOutlookResource", why: " for a custom cloud, e.g. https://outlook.office.com" },
    ...(s.smtpTransport === "graph"
      ? [
          {
            field: "customGraphHost",
            why: " for a custom cloud when the sender uses Graph, e.g. https://graph.microsoft.com",
          } as const,
        ]
      : []),
  ];
}

/** Whether the app registration authenticates with a certificate (else with a client secret). */
export function usesCertificate(s: Pick<RequirementSettings, "msCredentialType">): boolean {
  return s.msCredentialType === "certificate";
}

/** What the app registration's client needs: its ids and its credential (a client secret or a certificate). */
export function clientRequirements(s: Pick<RequirementSettings, "msCredentialType">): Requirement[] {
  return [
    {
      field: "msClientId",
      why: " for Microsoft OAuth (Azure: App registrations → your app → Application (client) ID)",
    },
    { field: "msTenantId", why: " for Microsoft OAuth (Azure: Directory (tenant) ID)" },
    usesCertificate(s)
      ? {
          field: "msCertificate",
          why: ": upload a PEM certificate with its private key or a PFX, or generate one, then upload its .cer in Azure under Certificates & secrets → Certificates",
        }
      : {
          field: "msClientSecret",
          why: ": paste the secret's Value from Azure (Certificates & secrets), not its Secret ID",
        },
  ];
}

/** What the Microsoft app registration needs (for any role that uses Microsoft OAuth): the client and its cloud. */
export function appRegistrationRequirements(
  s: Pick<RequirementSettings, "msCloud" | "msCredentialType" | "smtpTransport">,
): Requirement[] {
  return [...clientRequirements(s), ...cloudRequirements(s)];
}

/** What a Microsoft token for the role needs: its mailbox and the app registration. */
export function tokenRequirements(
  s: Pick<RequirementSettings, "msCloud" | "msCredentialType">,
  role: MailRole,
): Requirement[] {
  return [MAILBOX[role], ...appRegistrationRequirements(s)];
}

// ---- what an Application (app-only) connection needs --------------------------------------------

/**
 * The application permission of *Office 365 Exchange Online* each role needs in Application mode
 * (Azure: API permissions → Add a permission → APIs my organization uses → Office 365 Exchange Online →
 * Application permissions), with admin consent: the app token's `roles` claim carries it then.
 */
export const APPLICATION_PERMISSIONS: Record<MailRole, "SMTP.SendAsApp" | "IMAP.AccessAsApp"> = {
  smtp: "SMTP.SendAsApp",
  imap: "IMAP.AccessAsApp",
};

/** Tenant values that name no single directory: an app-only token needs the tenant it is issued in. */
const MULTI_TENANT_VALUES = new Set(["common", "organizations", "consumers"]);

/**
 * What an Application role needs besides the mailbox and the app registration, as field errors:
 * a tenant-specific Tenant Id (client credentials are issued in one directory), and no "Sign in as"
 * (nobody signs in: the app opens the mailbox itself, `user=` is the mailbox).
 */
export function applicationProblems(
  s: RoleSettings & { msTenantId: string | null },
): Partial<Record<"msTenantId" | "smtpSignInAs" | "imapSignInAs", string>> {
  const problems: Partial<Record<"msTenantId" | "smtpSignInAs" | "imapSignInAs", string>> = {};
  const appRoles = MAIL_ROLES.filter((r) => roleUsesApplication(s, r));
  if (appRoles.length === 0) return problems;
  if (s.msTenantId && MULTI_TENANT_VALUES.has(s.msTenantId.trim().toLowerCase()))
    problems.msTenantId = `Tenant Id must be your Directory (tenant) ID or domain for an Application connection: an app-only token is issued in one directory, not "${s.msTenantId}"`;
  for (const role of appRoles) {
    const field = role === "smtp" ? "smtpSignInAs" : "imapSignInAs";
    if (s[field])
      problems[field] =
        "Sign in as is only used with a Delegated connection: with Application nobody signs in, the app opens the mailbox itself";
  }
  return problems;
}

/** What saving Email Settings requires (the reply mailbox's needs apply once its address is set). */
export function saveRequirements(s: RequirementSettings): Requirement[] {
  return [
    ...roleRequirements(s, "smtp"),
    ...(s.imapUser ? roleRequirements(s, "imap") : []),
    ...(usesMicrosoft(s) ? appRegistrationRequirements(s) : cloudRequirements(s)),
  ].filter((r) => !r.toSend);
}

/**
 * The requirements whose field is empty. Secrets are not readable from the settings (stored
 * encrypted, or typed in the form): the caller says which are present.
 */
export function missing(
  requirements: Requirement[],
  s: RequirementSettings,
  secrets: Record<SecretField, boolean>,
): Requirement[] {
  return requirements.filter((r) => (isSecretField(r.field) ? !secrets[r.field] : !s[r.field]));
}

// ---- where secrets go ----------------------------------------------------------------------

/** The settings that say where a secret is sent. */
export type DestinationSettings = RequirementSettings & { smtpSecurity: string; imapSecurity: string };

const LOOPBACK_MAIL_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\]|::1)$/i;

/**
 * A password or a Microsoft token never travels over security "None", except to this machine
 * (localhost, 127.0.0.0/8, ::1). The message, or null when the role's credentials may go there.
 */
export function unencryptedCredentialProblem(s: DestinationSettings, role: MailRole): string | null {
  const [host, security, authenticates, credential] =
    role === "smtp"
      ? [
          s.smtpHost,
          s.smtpSecurity,
          s.smtpAuthType !== "none",
          s.smtpAuthType === "password" ? "SMTP password" : "Microsoft token",
        ]
      : [
          s.imapHost,
          s.imapSecurity,
          Boolean(s.imapUser),
          s.imapAuthType === "password" ? "IMAP password" : "Microsoft token",
        ];
  if (security !== "none" || !authenticates || !host || LOOPBACK_MAIL_HOST.test(host)) return null;
  return `Security None would send the ${credential} unencrypted to ${host}: choose STARTTLS or TLS (None is allowed only for a server on this machine: localhost, 127.0.0.1, ::1)`;
}
