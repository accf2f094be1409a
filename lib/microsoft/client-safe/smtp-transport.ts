import { graphAppScope, graphSendScope } from "@/lib/microsoft/client-safe/clouds";
import { roleConnectionType, type RoleSettings } from "@/lib/microsoft/client-safe/mail-roles";

/**
 * How the sending mailbox (the SMTP role) hands mail to Microsoft: SMTP AUTH with XOAUTH2, or
 * Microsoft Graph `sendMail` with the raw MIME — for tenants where SMTP AUTH is disabled
 * (`535 5.7.139`). Graph needs Microsoft OAuth and other permissions: delegated `Mail.Send`
 * (`Mail.Send.Shared` for a shared From), or the application permission `Mail.Send` of Microsoft Graph.
 */
export const SMTP_TRANSPORTS = ["smtp", "graph"] as const;
export type SmtpTransport = (typeof SMTP_TRANSPORTS)[number];
export const SMTP_TRANSPORT_LABELS: Record<SmtpTransport, string> = {
  smtp: "SMTP (AUTH XOAUTH2)",
  graph: "Microsoft Graph (sendMail)",
};

/** The application permission of Microsoft Graph an app-only Graph sender needs (with admin consent). */
export const GRAPH_APPLICATION_PERMISSION = "Mail.Send";

/** Exchange Online's RBAC for Applications: how an administrator limits an app's Mail.Send to some mailboxes. */
export const RBAC_FOR_APPLICATIONS_URL = "https://learn.microsoft.com/en-us/exchange/permissions-exo/application-rbac";

/** Microsoft's page on SMTP AUTH being disabled (5.7.139). */
export const SMTP_AUTH_DISABLED_URL = "https://aka.ms/smtp_auth_disabled";

export type TransportSettings = Pick<
  RoleSettings,
  "smtpAuthType" | "smtpUser" | "smtpSignInAs" | "smtpConnectionType"
> & {
  smtpTransport?: string | null;
};

/** Whether the sending mailbox uses Graph (only with Microsoft OAuth). */
export function usesGraph(s: TransportSettings): boolean {
  return s.smtpAuthType === "microsoft" && s.smtpTransport === "graph";
}

/** A delegate signs in for another (shared) mailbox: Graph needs `Mail.Send.Shared` and `/users/{shared}/sendMail`. */
export function graphSendsShared(s: TransportSettings): boolean {
  const user = (s.smtpUser ?? "").trim().toLowerCase();
  const signIn = (s.smtpSignInAs ?? "").trim().toLowerCase();
  return roleConnectionType(s, "smtp") === "delegated" && signIn !== "" && signIn !== user;
}

/** The scopes a Graph token for sending asks for (delegated: Mail.Send or Mail.Send.Shared; app-only: `.default`). */
export function graphTokenScopes(s: TransportSettings, graphResource: string): string[] {
  if (roleConnectionType(s, "smtp") === "application") return [graphAppScope(graphResource)];
  return [graphSendScope(graphResource, graphSendsShared(s))];
}

/** Whether a granted scope list covers what Graph sending needs (Mail.Send.Shared covers the own mailbox too). */
export function grantsGraphSend(granted: readonly string[], s: TransportSettings, graphResource: string): boolean {
  const lower = granted.map((g) => g.toLowerCase());
  const need = graphSendScope(graphResource, graphSendsShared(s)).toLowerCase();
  const shared = graphSendScope(graphResource, true).toLowerCase();
  return lower.includes(need) || lower.includes(shared);
}

/**
 * The Graph scopes a delegated authorization of these roles must also be consented to (MSAL
 * `extraScopesToConsent`): the sender's Graph scope when it uses Graph; none otherwise.
 */
export function graphConsentScopes(s: TransportSettings, roles: readonly string[], graphResource: string): string[] {
  if (!roles.includes("smtp") || !usesGraph(s) || roleConnectionType(s, "smtp") !== "delegated") return [];
  return graphTokenScopes(s, graphResource);
}
