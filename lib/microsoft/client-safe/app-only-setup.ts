import type { MailRole } from "@/lib/microsoft/client-safe/mail-roles";
import { GRAPH_APPLICATION_PERMISSION } from "@/lib/microsoft/client-safe/smtp-transport";
import { APPLICATION_PERMISSIONS } from "@/lib/settings/client-safe/requirements";

/**
 * What an administrator runs for an app-only (Application) connection, with their own ids:
 * Exchange Online must know the app's service principal (`New-ServicePrincipal -AppId <client id>
 * -ObjectId <object id of the Enterprise application>`) and grant it each mailbox
 * (`Add-MailboxPermission -Identity <mailbox> -User <service principal> -AccessRights FullAccess`).
 * The object id is the usual mistake: it is the Enterprise application's (Entra ID → Enterprise
 * applications → the app → Object ID), NOT the app registration's (App registrations → Overview →
 * Object ID). A sender on Microsoft Graph needs no mailbox permission: Graph's application `Mail.Send`
 * (Microsoft Graph API, not Office 365 Exchange Online) sends as any mailbox of the tenant. Pure; the
 * page, the diagnoses and the tests use it.
 */

export const SERVICE_PRINCIPAL_PLACEHOLDER = "<object id of the Enterprise application>";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type AppOnlySetupInput = {
  clientId: string | null;
  tenantId: string | null;
  /** What the admin typed: the Enterprise application's object id (may be blank). */
  servicePrincipalObjectId: string | null;
  /** The mailboxes of the Application roles; `graph`: the sender posts through Microsoft Graph. */
  mailboxes: AppRoleMailbox[];
};

export type AppRoleMailbox = { role: MailRole; mailbox: string; graph?: boolean };

export type AppPermissionGrant = { api: "Office 365 Exchange Online" | "Microsoft Graph"; permissions: string[] };

/** The application permissions to add in Azure, by the API they belong to. */
export function appPermissionGrants(mailboxes: AppRoleMailbox[]): AppPermissionGrant[] {
  const grants: AppPermissionGrant[] = [];
  for (const m of mailboxes) {
    const api = m.graph ? "Microsoft Graph" : "Office 365 Exchange Online";
    const permission = m.graph ? GRAPH_APPLICATION_PERMISSION : APPLICATION_PERMISSIONS[m.role];
    const grant = grants.find((g) => g.api === api);
    if (!grant) grants.push({ api, permissions: [permission] });
    else if (!grant.permissions.includes(permission)) grant.permissions.push(permission);
  }
  return grants;
}

export type PowerShellCommand = { id: string; label: string; command: string };

export type AppOnlySetup = {
  commands: PowerShellCommand[];
  /** About the object id typed (blank, not a GUID, the client id pasted instead). */
  objectIdProblem: string | null;
};

/** A PowerShell string argument: bare when plain (an address, a GUID), single-quoted otherwise. */
function arg(value: string): string {
  return /^[A-Za-z0-9@._+-]+$/.test(value) ? value : `'${value.replace(/'/g, "''")}'`;
}

export function objectIdProblem(objectId: string | null, clientId: string | null): string | null {
  const v = (objectId ?? "").trim();
  if (!v) return "Enter the Object ID of the Enterprise application (Entra ID → Enterprise applications → your app).";
  if (!GUID.test(v)) return "The Object ID is a GUID such as 1f0e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b.";
  if (clientId && v.toLowerCase() === clientId.trim().toLowerCase())
    return "That is the Application (client) ID. New-ServicePrincipal needs the Object ID of the Enterprise application.";
  return null;
}

export function appOnlySetup(input: AppOnlySetupInput): AppOnlySetup {
  const problem = objectIdProblem(input.servicePrincipalObjectId, input.clientId);
  const sp = problem ? SERVICE_PRINCIPAL_PLACEHOLDER : (input.servicePrincipalObjectId ?? "").trim();
  const clientId = input.clientId?.trim() || "<Application (client) ID>";
  const commands: PowerShellCommand[] = [
    {
      id: "connect",
      label: "Connect to Exchange Online PowerShell",
      command: `Connect-ExchangeOnline -Organization ${arg(input.tenantId?.trim() || "<tenant id>")}`,
    },
    {
      id: "service-principal",
      label: "Register the app's service principal in Exchange",
      command: `New-ServicePrincipal -AppId ${arg(clientId)} -ObjectId ${arg(sp)} -DisplayName 'Mail Connect'`,
    },
  ];
  const seen = new Set<string>();
  // Graph's application Mail.Send uses no mailbox permission
  for (const { mailbox } of input.mailboxes.filter((m) => !m.graph)) {
    const key = mailbox.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    commands.push({
      id: `mailbox-${key}`,
      label: `Grant the app the mailbox ${mailbox}`,
      command: `Add-MailboxPermission -Identity ${arg(mailbox)} -User ${arg(sp)} -AccessRights FullAccess`,
    });
  }
  return { commands, objectIdProblem: problem };
}
