import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { normalizeAddress } from "./util";

/**
 * The sandbox's directory: tenants, users (with passwords), mailboxes and their messages,
 * delegations, app registrations, consent grants and refresh tokens. Persisted as one JSON file
 * (`sandbox.json` in the data directory) so that an app started later finds the same tenant.
 */

export interface TenantRecord {
  id: string;
  displayName: string;
  /** Verified domains; the first is the default (initial) domain. */
  domains: string[];
  /** Tenant-wide "SmtpClientAuthenticationDisabled" (Exchange Online default for new tenants: true). */
  smtpClientAuthenticationDisabled: boolean;
}

export interface UserRecord {
  /** Object id (oid). */
  id: string;
  tenantId: string;
  userPrincipalName: string;
  displayName: string;
  password: string;
  isAdmin: boolean;
  accountEnabled: boolean;
  /** Refresh tokens issued before this instant are revoked (revokeSignInSessions). */
  tokensValidFrom: string | null;
}

export interface StoredMessage {
  uid: number;
  flags: string[];
  internalDate: string;
  /** RFC 5322 source, base64. */
  raw: string;
}

export interface FolderRecord {
  name: string;
  specialUse: string | null;
  uidValidity: number;
  uidNext: number;
  messages: StoredMessage[];
}

export interface MailboxRecord {
  /** Primary SMTP address. */
  address: string;
  /** Further (proxy) addresses that reach this mailbox; absent in data files written before them. */
  proxyAddresses?: string[];
  tenantId: string;
  type: "user" | "shared";
  /** The user owning a user mailbox; null for a shared mailbox. */
  ownerUserId: string | null;
  displayName: string;
  /** Per-mailbox SmtpClientAuthenticationDisabled: null follows the tenant, false enables, true disables. */
  smtpClientAuthenticationDisabled: boolean | null;
  imapEnabled: boolean;
  /** Sandbox switch: accept AUTH LOGIN (SMTP) and LOGIN / AUTHENTICATE PLAIN (IMAP) with the owner's password. */
  passwordAuthEnabled: boolean;
  /** User ids with FullAccess permission (IMAP as this mailbox). */
  fullAccess: string[];
  /** User ids with SendAs permission. */
  sendAs: string[];
  /**
   * Exchange service principals (their object ids) with FullAccess (`Add-MailboxPermission -User <service
   * principal> -AccessRights FullAccess`): app-only SMTP and IMAP as this mailbox. Absent in older data files.
   */
  appFullAccess?: string[];
  folders: FolderRecord[];
}

export interface AppSecretRecord {
  /** The secret ID (a GUID, what people paste by mistake). */
  id: string;
  /** The secret value (what the app must send). */
  value: string;
  displayName: string;
  expiresAt: string;
}

/** A certificate credential (Azure: Certificates & secrets → Certificates): only its public part. */
export interface AppCertificateRecord {
  /** keyCredential id (a GUID). */
  keyId: string;
  displayName: string;
  /** The certificate, PEM. */
  pem: string;
  /** Hex (upper case) SHA-1 and SHA-256 of the DER encoding: what `x5t` and `x5t#S256` carry, base64url. */
  thumbprintSha1: string;
  thumbprintSha256: string;
  startDateTime: string;
  endDateTime: string;
}

export interface AppRecord {
  clientId: string;
  tenantId: string;
  displayName: string;
  signInAudience: "AzureADMyOrg" | "AzureADMultipleOrgs";
  redirectUris: string[];
  secrets: AppSecretRecord[];
  /** Certificate credentials (absent in data files written before they existed). */
  certificates?: AppCertificateRecord[];
  /** Configured API permissions (full scope strings); what admin consent grants and `.default` means. */
  requiredScopes: string[];
  /** Whether users may consent themselves (the tenant's user-consent policy for this app). */
  userConsentAllowed: boolean;
  /** Scopes granted by an administrator for all users (full scope strings). */
  adminConsentedScopes: string[];
  /** Scopes each user consented to, by user id. */
  userConsents: Record<string, string[]>;
  /** The app's service principal is disabled (sign-in and tokens: AADSTS7000112); absent = enabled. */
  disabled?: boolean;
  /** The app registration's own object id (Entra: App registrations → Overview → Object ID). */
  objectId?: string;
  /** The object id of its service principal (Entra: Enterprise applications → Object ID): the app tokens' `oid`. */
  servicePrincipalId?: string;
  /** Configured application permissions of Office 365 Exchange Online (`SMTP.SendAsApp`, `IMAP.AccessAsApp`, …). */
  appPermissions?: string[];
  /** The application permissions an administrator granted consent for (what app tokens carry as `roles`). */
  consentedAppPermissions?: string[];
  /** Configured application permissions of Microsoft Graph (`Mail.Send`), and those with admin consent. */
  graphAppPermissions?: string[];
  consentedGraphAppPermissions?: string[];
}

/** A service principal registered in Exchange Online (`New-ServicePrincipal -AppId -ObjectId`). */
export interface ExchangeServicePrincipalRecord {
  tenantId: string;
  appId: string;
  /** The object id given to New-ServicePrincipal: must be the Enterprise application's, not the app registration's. */
  objectId: string;
  displayName: string;
}

export interface RefreshTokenRecord {
  /** sha256 of the token; the token itself is never stored. */
  hash: string;
  fingerprint: string;
  /** All tokens descending from one authorization share a family id. */
  familyId: string;
  sequence: number;
  userId: string;
  tenantId: string;
  clientId: string;
  issuedAt: string;
  lastUsedAt: string | null;
  inactive: boolean;
  /** Session auth time carried forward. */
  authTime: number;
}

export interface OutboxMessage {
  id: string;
  receivedAt: string;
  mailFrom: string;
  rcptTo: string[];
  authenticatedAs: string;
  raw: string;
}

export interface SandboxData {
  version: 1;
  tenants: TenantRecord[];
  users: UserRecord[];
  mailboxes: MailboxRecord[];
  apps: AppRecord[];
  refreshTokens: RefreshTokenRecord[];
  outbox: OutboxMessage[];
  /** Exchange Online's service principals (absent in older data files). */
  exchangeServicePrincipals?: ExchangeServicePrincipalRecord[];
}

export const DATA_FILE_NAME = "sandbox.json";

export function emptyData(): SandboxData {
  return { version: 1, tenants: [], users: [], mailboxes: [], apps: [], refreshTokens: [], outbox: [] };
}

export const DEFAULT_FOLDERS: Array<{ name: string; specialUse: string | null }> = [
  { name: "INBOX", specialUse: null },
  { name: "Drafts", specialUse: "\\Drafts" },
  { name: "Sent Items", specialUse: "\\Sent" },
  { name: "Deleted Items", specialUse: "\\Trash" },
  { name: "Junk Email", specialUse: "\\Junk" },
];

export function newFolders(): FolderRecord[] {
  const base = Math.floor(Date.now() / 1000);
  return DEFAULT_FOLDERS.map((f, i) => ({
    name: f.name,
    specialUse: f.specialUse,
    uidValidity: base + i,
    uidNext: 1,
    messages: [],
  }));
}

export class Store {
  readonly file: string;
  data: SandboxData;

  constructor(
    readonly dataDir: string,
    initial: () => SandboxData,
  ) {
    mkdirSync(dataDir, { recursive: true });
    this.file = join(dataDir, DATA_FILE_NAME);
    if (existsSync(this.file)) {
      this.data = JSON.parse(readFileSync(this.file, "utf8")) as SandboxData;
    } else {
      this.data = initial();
      this.save();
    }
  }

  replace(data: SandboxData): void {
    this.data = data;
    this.save();
  }

  private pendingSave: NodeJS.Timeout | null = null;

  /** A coalesced save: mail delivery under load writes the file at most every 500 ms (flushed on stop). */
  saveSoon(): void {
    if (this.pendingSave) return;
    this.pendingSave = setTimeout(() => this.save(), 500);
    this.pendingSave.unref();
  }

  /** Writes a pending coalesced save now. */
  flush(): void {
    if (this.pendingSave) this.save();
  }

  save(): void {
    if (this.pendingSave) clearTimeout(this.pendingSave);
    this.pendingSave = null;
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.data, null, 1));
    renameSync(tmp, this.file);
  }

  // ---- look-ups ------------------------------------------------------------------------------

  tenantById(id: string): TenantRecord | undefined {
    return this.data.tenants.find((t) => t.id.toLowerCase() === id.toLowerCase());
  }

  /** Tenant by GUID or verified domain. */
  tenantByIdOrDomain(value: string): TenantRecord | undefined {
    const v = value.toLowerCase();
    return this.data.tenants.find((t) => t.id.toLowerCase() === v || t.domains.some((d) => d.toLowerCase() === v));
  }

  tenantForDomain(domain: string): TenantRecord | undefined {
    const d = domain.toLowerCase();
    return this.data.tenants.find((t) => t.domains.some((x) => x.toLowerCase() === d));
  }

  userById(id: string): UserRecord | undefined {
    return this.data.users.find((u) => u.id === id);
  }

  userByUpn(upn: string): UserRecord | undefined {
    const n = normalizeAddress(upn);
    return this.data.users.find((u) => normalizeAddress(u.userPrincipalName) === n);
  }

  mailbox(address: string): MailboxRecord | undefined {
    const n = normalizeAddress(address);
    return this.data.mailboxes.find(
      (m) => normalizeAddress(m.address) === n || (m.proxyAddresses ?? []).some((a) => normalizeAddress(a) === n),
    );
  }

  mailboxOfUser(userId: string): MailboxRecord | undefined {
    return this.data.mailboxes.find((m) => m.ownerUserId === userId);
  }

  app(clientId: string): AppRecord | undefined {
    const c = clientId.toLowerCase();
    return this.data.apps.find((a) => a.clientId.toLowerCase() === c);
  }

  /** Whether SMTP AUTH (client submission) is enabled for the mailbox, per-mailbox setting first. */
  smtpAuthEnabled(mailbox: MailboxRecord): boolean {
    if (mailbox.smtpClientAuthenticationDisabled !== null) return !mailbox.smtpClientAuthenticationDisabled;
    const tenant = this.tenantById(mailbox.tenantId);
    return tenant ? !tenant.smtpClientAuthenticationDisabled : false;
  }

  /** Append a message to a folder of a mailbox; returns its UID. */
  deliver(mailbox: MailboxRecord, folderName: string, raw: Buffer, flags: string[] = []): number {
    let folder = mailbox.folders.find((f) => f.name.toLowerCase() === folderName.toLowerCase());
    if (!folder) {
      folder = {
        name: folderName,
        specialUse: null,
        uidValidity: Math.floor(Date.now() / 1000),
        uidNext: 1,
        messages: [],
      };
      mailbox.folders.push(folder);
    }
    const uid = folder.uidNext++;
    folder.messages.push({ uid, flags, internalDate: new Date().toISOString(), raw: raw.toString("base64") });
    return uid;
  }
}
