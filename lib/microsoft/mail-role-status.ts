import { authorizeBlockers, type AuthorizeSettings } from "@/lib/microsoft/authorize-blockers";
import {
  expectedSignIn,
  MAIL_ROLES,
  roleAccount,
  roleConnectionType,
  roleMailbox,
  roleUsesDelegated,
  roleUsesMicrosoft,
  type ConnectionType,
  type MailRole,
} from "@/lib/microsoft/client-safe/mail-roles";
import { resolveCloud } from "@/lib/microsoft/client-safe/clouds";
import { adminConsentUrl, microsoftLogoutUrl } from "@/lib/microsoft/microsoft-links";
import { grantsRole } from "@/lib/microsoft/scopes";
import { grantsGraphSend, graphConsentScopes } from "@/lib/microsoft/client-safe/smtp-transport";
import { validServerBaseUrl } from "@/lib/settings/client-safe/general-schema";
import { buildRedirectUri } from "@/lib/settings/client-safe/redirect-uri";

/**
 * The read model of the mailbox roles: for the saved settings and the stored connections, what
 * each role's Microsoft connection looks like. One pure description for the connection cards, the
 * setup checklist, the health banner and the keep-alive.
 */

/** What pages may see of a stored connection (never its cache). */
export type ConnectionView = {
  id: string;
  account: string;
  username: string;
  tenantId: string | null;
  scopes: string[];
  authorizedAt: string;
  authorizedBy: string;
  lastRefreshAt: string | null;
  status: "connected" | "needs_reauth";
  lastError: string | null;
  lastErrorCode: string | null;
  lastErrorAt: string | null;
  /** The redirect URI Microsoft accepted at the authorization (unknown for connections made before it was kept). */
  redirectUri: string | null;
  /** A Conditional Access sign-in frequency learned from AADSTS70043 (seconds): the sign-in ends that long after it. */
  signInFrequencySeconds?: number | null;
};

/** What pages may see of an app-only connection. */
export type AppConnectionView = {
  id: string;
  clientId: string;
  mailbox: string;
  tenantId: string;
  /** The `roles` of the latest app token. */
  tokenRoles: string[];
  lastTokenAt: string | null;
  status: "connected" | "failing";
  lastError: string | null;
  lastErrorCode: string | null;
  lastErrorAt: string | null;
};

export type RoleStatus = {
  role: MailRole;
  usesMicrosoft: boolean;
  /** Delegated (a user signs in: Authorize) or Application (app-only: no user, no Authorize). */
  connectionType: ConnectionType;
  /** Application: the stored app-only connection of the client id + mailbox, once a token was asked for. */
  appConnection: AppConnectionView | null;
  /** The mailbox address (the XOAUTH2 user). */
  mailbox: string | null;
  /** Who must sign in to Microsoft, as configured. */
  expected: string | null;
  /** The connection key: the lower-cased expected sign-in. */
  account: string | null;
  /** The stored connection of the account, when the role uses Microsoft OAuth. */
  connection: ConnectionView | null;
  /** The connection's grant includes this role's permission (and, for a sender on Graph, its Graph scope). */
  coversRole: boolean;
  /** The sender uses Microsoft Graph (delegated): the Graph scopes its authorization must include. */
  graphScopes?: string[];
  /** Connected, and the grant covers the role. */
  healthy: boolean;
  /** The other role, when it signs in as the same account (one authorization covers both). */
  sharedWith: MailRole | null;
  /** Why Authorize cannot start yet. */
  blockers: string[];
};

type AccountStatus = { account: string; roles: MailRole[]; connection: ConnectionView | null };

export type MailRolesStatus = {
  roles: RoleStatus[];
  anyMicrosoft: boolean;
  /** The accounts that roles using Microsoft OAuth sign in as, each with its roles. */
  accounts: AccountStatus[];
  /** Accounts in use whose connection needs re-authorization. */
  needsReauth: (AccountStatus & { connection: ConnectionView })[];
  /** Application roles whose latest app-only token request failed (consent, credential), with the reason. */
  appFailing: { role: MailRole; connection: AppConnectionView }[];
  /** The valid Server Base URL, and the redirect URI it gives. */
  serverBaseUrl: string | null;
  redirectUri: string | null;
  /** Microsoft accepted the redirect URI: the latest authorization completed since the Server Base URL was saved. */
  redirectConfirmedAt: string | null;
  /**
   * The redirect URI Microsoft accepted at the latest authorization, when it differs from the one Authorize
   * would send now (the Server Base URL changed since): Microsoft answers AADSTS50011 until it is registered.
   */
  redirectChangedFrom: string | null;
  adminConsentUrl: string | null;
  logoutUrl: string | null;
};

type GeneralForRoles = { serverBaseUrl: string | null; updatedAt: Date | null };

export function describeMailRoles(
  settings: AuthorizeSettings,
  general: GeneralForRoles,
  connections: readonly ConnectionView[],
  appConnections: readonly AppConnectionView[] = [],
): MailRolesStatus {
  const byAccount = new Map(connections.map((c) => [c.account, c]));
  let outlookResource = "";
  let graphResource = "";
  try {
    ({ outlookResource, graphResource } = resolveCloud(settings));
  } catch {
    // an incomplete custom cloud: no role can be covered yet
  }
  // Only delegated roles have an account that signs in (Application roles: the app's own token).
  const accountOf = (role: MailRole) => (roleUsesDelegated(settings, role) ? roleAccount(settings, role) : null);
  const appConnectionOf = (role: MailRole) => {
    const mailbox = roleMailbox(settings, role)?.toLowerCase();
    const clientId = settings.msClientId?.toLowerCase();
    return appConnections.find((c) => c.mailbox === mailbox && c.clientId === clientId) ?? null;
  };

  const roles = MAIL_ROLES.map((role): RoleStatus => {
    const usesMicrosoft = roleUsesMicrosoft(settings, role);
    const connectionType = roleConnectionType(settings, role);
    if (usesMicrosoft && connectionType === "application") {
      const appConnection = appConnectionOf(role);
      return {
        role,
        usesMicrosoft,
        connectionType,
        appConnection,
        mailbox: roleMailbox(settings, role),
        expected: null,
        account: null,
        connection: null,
        coversRole: false,
        healthy: appConnection?.status === "connected",
        sharedWith: null,
        blockers: [],
      };
    }
    const account = roleAccount(settings, role);
    const connection = usesMicrosoft && account ? (byAccount.get(account) ?? null) : null;
    // The sender on Graph also needs its Graph scope: choosing Graph means authorizing again.
    const graphScopes = graphConsentScopes(settings, [role], graphResource);
    const coversRole = connection
      ? grantsRole(connection.scopes.join(" "), outlookResource, role) &&
        (graphScopes.length === 0 || grantsGraphSend(connection.scopes, settings, graphResource))
      : false;
    const other = MAIL_ROLES.find((r) => r !== role && account !== null && accountOf(r) === account) ?? null;
    return {
      role,
      usesMicrosoft,
      connectionType,
      appConnection: null,
      mailbox: roleMailbox(settings, role),
      expected: expectedSignIn(settings, role),
      account,
      connection,
      coversRole,
      ...(graphScopes.length ? { graphScopes } : {}),
      healthy: Boolean(connection && connection.status === "connected" && coversRole),
      sharedWith: usesMicrosoft ? other : null,
      blockers: authorizeBlockers(settings, general.serverBaseUrl, role),
    };
  });

  const accounts: AccountStatus[] = [];
  for (const role of MAIL_ROLES) {
    const account = accountOf(role);
    if (!account) continue;
    const known = accounts.find((a) => a.account === account);
    if (known) known.roles.push(role);
    else accounts.push({ account, roles: [role], connection: byAccount.get(account) ?? null });
  }

  const serverBaseUrl = validServerBaseUrl(general.serverBaseUrl);
  const redirectConfirmedAt =
    accounts
      .map((a) => a.connection?.authorizedAt)
      .filter((at): at is string => Boolean(at))
      .filter((at) => !general.updatedAt || new Date(at) >= general.updatedAt)
      .sort((a, b) => new Date(b).getTime() - new Date(a).getTime())[0] ?? null;

  const redirectUri = serverBaseUrl ? buildRedirectUri(serverBaseUrl) : null;
  const lastAccepted = accounts
    .map((a) => a.connection)
    .filter((c): c is ConnectionView & { redirectUri: string } => Boolean(c?.redirectUri))
    .sort((a, b) => new Date(b.authorizedAt).getTime() - new Date(a.authorizedAt).getTime())[0]?.redirectUri;
  const redirectChangedFrom = redirectUri && lastAccepted && lastAccepted !== redirectUri ? lastAccepted : null;

  return {
    roles,
    anyMicrosoft: roles.some((r) => r.usesMicrosoft),
    accounts,
    needsReauth: accounts.filter(
      (a): a is AccountStatus & { connection: ConnectionView } => a.connection?.status === "needs_reauth",
    ),
    appFailing: roles.flatMap((r) =>
      r.appConnection?.status === "failing" ? [{ role: r.role, connection: r.appConnection }] : [],
    ),
    serverBaseUrl,
    redirectUri,
    redirectConfirmedAt,
    redirectChangedFrom,
    adminConsentUrl: adminConsentUrl(settings, general.serverBaseUrl),
    logoutUrl: microsoftLogoutUrl(settings),
  };
}
