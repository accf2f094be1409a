/**
 * The app-only part of the typed control client (`sandbox.control.appOnly`): the app's application
 * permissions and their admin consent (Entra), Exchange Online's service principals and the mailbox
 * grants to them. Two object ids matter and differ: the app registration's (`applicationObjectId`) and
 * its Enterprise application's (`servicePrincipalObjectId`, the app tokens' `oid`); Exchange needs the
 * second one.
 */

type Call = <T>(method: string, path: string, body?: unknown) => Promise<T>;

export interface AppOnlyInfo {
  clientId: string;
  tenantId: string;
  displayName: string;
  /** Entra → App registrations → the app → Object ID (what New-ServicePrincipal must NOT get). */
  applicationObjectId: string;
  /** Entra → Enterprise applications → the app → Object ID (what New-ServicePrincipal -ObjectId needs). */
  servicePrincipalObjectId: string;
  /** Configured application permissions of Office 365 Exchange Online. */
  appPermissions: string[];
  consentedAppPermissions: string[];
  /** What an app token carries as `roles` now. */
  roles: string[];
  /** Configured application permissions of Microsoft Graph (all consented, or none). */
  graphAppPermissions: string[];
  /** What a Graph app token carries as `roles` now. */
  graphRoles: string[];
}

export interface ExchangeServicePrincipalInfo {
  tenantId: string;
  appId: string;
  objectId: string;
  displayName: string;
}

const enc = encodeURIComponent;

export class AppOnlyControl {
  constructor(private readonly call: Call) {}

  info(clientId: string): Promise<AppOnlyInfo> {
    return this.call("GET", `apps/${enc(clientId)}/app-only`);
  }
  /** API permissions → Office 365 Exchange Online → Application permissions (e.g. SMTP.SendAsApp, IMAP.AccessAsApp). */
  setAppPermissions(clientId: string, permissions: string[]): Promise<AppOnlyInfo> {
    return this.call("PUT", `apps/${enc(clientId)}/app-permissions`, { permissions });
  }
  /** Grant (true) or revoke (false) admin consent for the configured application permissions. */
  setAppConsent(clientId: string, granted: boolean): Promise<AppOnlyInfo> {
    return this.call("PUT", `apps/${enc(clientId)}/app-consent`, { granted });
  }
  /** API permissions → Microsoft Graph → Application permissions (`Mail.Send`), with admin consent unless `granted: false`. */
  setGraphAppPermissions(clientId: string, permissions: string[], granted = true): Promise<AppOnlyInfo> {
    return this.call("PUT", `apps/${enc(clientId)}/graph-app-permissions`, { permissions, granted });
  }
  /** `New-ServicePrincipal -AppId <appId> -ObjectId <objectId> [-DisplayName]` (Exchange Online). */
  newServicePrincipal(input: {
    appId: string;
    objectId: string;
    displayName?: string;
    tenantId?: string;
  }): Promise<ExchangeServicePrincipalInfo> {
    return this.call("POST", "service-principals", input);
  }
  /** `Remove-ServicePrincipal -Identity <object id | app id | display name>` (drops its mailbox grants too). */
  removeServicePrincipal(identity: string): Promise<{ ok: true }> {
    return this.call("DELETE", `service-principals/${enc(identity)}`);
  }
  servicePrincipals(): Promise<ExchangeServicePrincipalInfo[]> {
    return this.call("GET", "service-principals");
  }
  /**
   * `Add-MailboxPermission -Identity <mailbox> -User <service principal> -AccessRights FullAccess` (true) or
   * `Remove-MailboxPermission …` (false); the service principal must be registered in Exchange (404 otherwise).
   */
  setMailboxFullAccess(
    mailbox: string,
    servicePrincipal: string,
    fullAccess: boolean,
  ): Promise<{ email: string; appFullAccess: string[] }> {
    return this.call("POST", `mailboxes/${enc(mailbox)}/app-permissions`, { servicePrincipal, fullAccess });
  }
}
