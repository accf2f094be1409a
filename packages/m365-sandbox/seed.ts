import { newFolders, type AppRecord, type MailboxRecord, type SandboxData, type UserRecord } from "./store";
import { SCOPE_IMAP, SCOPE_SMTP_SEND, GRAPH_RESOURCE } from "./scopes";

/**
 * The seeded tenant: what `npm run sandbox`, `npm run demo` and the tests start with.
 * Everything here is fake; the passwords and the secret are for the local sandbox only.
 */

export const SEED_TENANT = {
  id: "7d1c5e0a-3b8f-4c2e-9a6d-51f0c2b4e8a7",
  domain: "contoso.test",
  displayName: "Contoso (sandbox)",
} as const;

export interface SeedUser {
  id: string;
  /** The sign-in name (UPN); also the mailbox address unless `mailboxAddress` is set. */
  email: string;
  /** The primary SMTP address of the user's mailbox, when it differs from the UPN. */
  mailboxAddress?: string;
  displayName: string;
  password: string;
  isAdmin: boolean;
}

export const SEED_USERS = {
  /** Global administrator: can grant admin consent. */
  admin: {
    id: "a0000001-5b1e-4c3a-8e2f-000000000001",
    email: "admin@contoso.test",
    displayName: "Adele Admin",
    password: "Sandbox-Admin-1!",
    isAdmin: true,
  },
  /** The SMTP sender mailbox the app authorizes. */
  mailer: {
    id: "a0000002-5b1e-4c3a-8e2f-000000000002",
    email: "mailer@contoso.test",
    displayName: "Mail Connect Sender",
    password: "Sandbox-Mailer-1!",
    isAdmin: false,
  },
  /** The approval-reply mailbox read over IMAP. */
  approvals: {
    id: "a0000003-5b1e-4c3a-8e2f-000000000003",
    email: "approvals@contoso.test",
    displayName: "Approvals",
    password: "Sandbox-Approvals-1!",
    isAdmin: false,
  },
  /** A second, unrelated user: the one SSO silently authorizes in the wrong-user trap. */
  other: {
    id: "a0000004-5b1e-4c3a-8e2f-000000000004",
    email: "other@contoso.test",
    displayName: "Otto Other",
    password: "Sandbox-Other-1!",
    isAdmin: false,
  },
  /** Delegate of the shared mailbox (FullAccess + SendAs). */
  delegate: {
    id: "a0000005-5b1e-4c3a-8e2f-000000000005",
    email: "delegate@contoso.test",
    displayName: "Dana Delegate",
    password: "Sandbox-Delegate-1!",
    isAdmin: false,
  },
  /** A sign-in name (UPN) that is not the mail address: signs in as e1234567@, receives at erin@. */
  upnUser: {
    id: "a0000006-5b1e-4c3a-8e2f-000000000006",
    email: "e1234567@contoso.test",
    mailboxAddress: "erin@contoso.test",
    displayName: "Erin Employee",
    password: "Sandbox-Erin-1!",
    isAdmin: false,
  },
} as const satisfies Record<string, SeedUser>;

export const SEED_SHARED_MAILBOX = {
  email: "shared@contoso.test",
  displayName: "Shared Releases",
  delegates: [SEED_USERS.delegate.id],
} as const;

export const DEFAULT_APP_REDIRECT_URI = "https://localhost:3000/flexdeploy/rest/v2/oauth";

export const SEED_APP = {
  clientId: "4b8e2f6a-9c1d-4e7f-a3b5-c6d7e8f90a12",
  displayName: "Mail Connect (sandbox)",
  /** The secret VALUE: what the app must be configured with. */
  secretValue: "sbx8Q~Sandbox.Secret.Value-0123456789abcdef",
  /** The secret ID: pasting this instead of the value gives AADSTS7000215, as with Microsoft. */
  secretId: "9f3a1c7e-2d4b-4a6c-8e1f-0b2c3d4e5f60",
  /** Configured API permissions (what admin consent grants). */
  requiredScopes: [SCOPE_SMTP_SEND, SCOPE_IMAP, `${GRAPH_RESOURCE}/User.Read`],
  /** App registrations → Overview → Object ID: the id people give New-ServicePrincipal by mistake. */
  applicationObjectId: "0c6f3b2a-5e8d-4f1a-9b7c-2d4e6f8a0b13",
  /** Enterprise applications → Object ID: the service principal's, the app tokens' `oid` (what Exchange needs). */
  servicePrincipalObjectId: "e5a7c9d1-3f2b-4d6e-8a0c-1b3d5f7e9a24",
  /** Application permissions of Office 365 Exchange Online, configured but not consented (app-only off until granted). */
  appPermissions: ["SMTP.SendAsApp", "IMAP.AccessAsApp"],
} as const;

export interface SeedOptions {
  /** Redirect URIs of the seeded app registration. Default: DEFAULT_APP_REDIRECT_URI. */
  appRedirectUris?: string[];
}

function userRecord(u: SeedUser): UserRecord {
  return {
    id: u.id,
    tenantId: SEED_TENANT.id,
    userPrincipalName: u.email,
    displayName: u.displayName,
    password: u.password,
    isAdmin: u.isAdmin,
    accountEnabled: true,
    tokensValidFrom: null,
  };
}

function userMailbox(u: SeedUser): MailboxRecord {
  return {
    address: u.mailboxAddress ?? u.email,
    tenantId: SEED_TENANT.id,
    type: "user",
    ownerUserId: u.id,
    displayName: u.displayName,
    smtpClientAuthenticationDisabled: null,
    imapEnabled: true,
    passwordAuthEnabled: false,
    fullAccess: [],
    sendAs: [],
    folders: newFolders(),
  };
}

export function buildSeedData(options: SeedOptions = {}): SandboxData {
  const users = Object.values(SEED_USERS);
  const app: AppRecord = {
    clientId: SEED_APP.clientId,
    tenantId: SEED_TENANT.id,
    displayName: SEED_APP.displayName,
    signInAudience: "AzureADMyOrg",
    redirectUris: options.appRedirectUris ?? [DEFAULT_APP_REDIRECT_URI],
    secrets: [
      {
        id: SEED_APP.secretId,
        value: SEED_APP.secretValue,
        displayName: "sandbox",
        expiresAt: new Date(Date.now() + 365 * 24 * 3600 * 1000).toISOString(),
      },
    ],
    requiredScopes: [...SEED_APP.requiredScopes],
    userConsentAllowed: true,
    adminConsentedScopes: [...SEED_APP.requiredScopes],
    userConsents: {},
    objectId: SEED_APP.applicationObjectId,
    servicePrincipalId: SEED_APP.servicePrincipalObjectId,
    appPermissions: [...SEED_APP.appPermissions],
    consentedAppPermissions: [],
  };
  return {
    version: 1,
    tenants: [
      {
        id: SEED_TENANT.id,
        displayName: SEED_TENANT.displayName,
        domains: [SEED_TENANT.domain],
        // The seeded tenant has SMTP AUTH enabled so the demo works; tests switch it off.
        smtpClientAuthenticationDisabled: false,
      },
    ],
    users: users.map(userRecord),
    mailboxes: [
      ...users.map(userMailbox),
      {
        address: SEED_SHARED_MAILBOX.email,
        tenantId: SEED_TENANT.id,
        type: "shared",
        ownerUserId: null,
        displayName: SEED_SHARED_MAILBOX.displayName,
        smtpClientAuthenticationDisabled: null,
        imapEnabled: true,
        passwordAuthEnabled: false,
        fullAccess: [...SEED_SHARED_MAILBOX.delegates],
        sendAs: [...SEED_SHARED_MAILBOX.delegates],
        folders: newFolders(),
      },
    ],
    apps: [app],
    refreshTokens: [],
    outbox: [],
    exchangeServicePrincipals: [],
  };
}
