import "@/lib/http/client-safe/zod-without-eval"; // first: before any schema is built
import { z } from "zod";

/**
 * The mail-role model: who must sign in to Microsoft for each mailbox role.
 *
 * - smtp: the SMTP user (the sending mailbox), or its "Sign in as" delegate (with Send As) for a shared mailbox;
 * - imap: the Approval Reply Address, or its "Sign in as" delegate (with Full Access).
 * The expected account is who signs in. Exchange Online takes SMTP AUTH only as that account (the
 * XOAUTH2 `user=` of SMTP), the SMTP user staying the sender (MAIL FROM and From:); IMAP's `user=` is
 * the mailbox. When both roles expect the same account they share one connection (one
 * authorization covers both).
 */
export type MailRole = "smtp" | "imap";
export const MAIL_ROLES: readonly MailRole[] = ["smtp", "imap"];

/** The one schema for a mailbox role in an action's or route's input. */
export const mailRoleSchema = z.enum(["smtp", "imap"], { error: "Unknown mailbox role" });

/**
 * How a Microsoft role connects: `delegated` (a user signs in: Authorize, refresh token) or
 * `application` (app-only: the app's own token by client credentials, no user, no refresh token).
 */
export const CONNECTION_TYPES = ["delegated", "application"] as const;
export type ConnectionType = (typeof CONNECTION_TYPES)[number];
export const CONNECTION_TYPE_LABELS: Record<ConnectionType, string> = {
  delegated: "Delegated (a user signs in: Authorize)",
  application: "Application (app-only, client credentials: no user signs in)",
};

export type RoleSettings = {
  /** Absent (older callers, tests): delegated. */
  smtpConnectionType?: string;
  imapConnectionType?: string;
  smtpAuthType: string;
  smtpUser: string | null;
  smtpSignInAs: string | null;
  imapUser: string | null;
  imapAuthType: string;
  imapSignInAs: string | null;
};

/** What decides whether a role uses Microsoft OAuth (the reply mailbox is used once its address is set). */
type AuthModes = Pick<RoleSettings, "smtpAuthType" | "imapUser" | "imapAuthType">;

export const ROLE_LABELS: Record<MailRole, { title: string; mailboxField: string; short: string }> = {
  smtp: { title: "SMTP sender", mailboxField: "SMTP user", short: "SMTP" },
  imap: { title: "Approval reply mailbox (IMAP)", mailboxField: "Approval Reply Address", short: "IMAP" },
};

export function normalizeAccount(value: string): string {
  return value.trim().toLowerCase();
}

export function isMailRole(value: unknown): value is MailRole {
  return value === "smtp" || value === "imap";
}

/** Whether the role is configured to use Microsoft OAuth. */
export function roleUsesMicrosoft(s: AuthModes, role: MailRole): boolean {
  return role === "smtp" ? s.smtpAuthType === "microsoft" : Boolean(s.imapUser) && s.imapAuthType === "microsoft";
}

/** Whether any role uses Microsoft OAuth (then the Microsoft app registration is required). */
export function usesMicrosoft(s: AuthModes): boolean {
  return MAIL_ROLES.some((role) => roleUsesMicrosoft(s, role));
}

/** The role's connection type (delegated unless set to application). */
export function roleConnectionType(
  s: Pick<RoleSettings, "smtpConnectionType" | "imapConnectionType">,
  role: MailRole,
): ConnectionType {
  return (role === "smtp" ? s.smtpConnectionType : s.imapConnectionType) === "application"
    ? "application"
    : "delegated";
}

/** Whether the role uses Microsoft OAuth with an app-only (client credentials) connection. */
export function roleUsesApplication(
  s: AuthModes & Pick<RoleSettings, "smtpConnectionType" | "imapConnectionType">,
  role: MailRole,
): boolean {
  return roleUsesMicrosoft(s, role) && roleConnectionType(s, role) === "application";
}

/** Whether the role uses Microsoft OAuth with a user who signs in (Authorize). */
export function roleUsesDelegated(
  s: AuthModes & Pick<RoleSettings, "smtpConnectionType" | "imapConnectionType">,
  role: MailRole,
): boolean {
  return roleUsesMicrosoft(s, role) && roleConnectionType(s, role) === "delegated";
}

/** The mailbox address of the role (the XOAUTH2 user). */
export function roleMailbox(s: RoleSettings, role: MailRole): string | null {
  return (role === "smtp" ? s.smtpUser : s.imapUser) || null;
}

/** The account that must sign in to Microsoft for the role, as configured (not lower-cased). */
export function expectedSignIn(s: RoleSettings, role: MailRole): string | null {
  return (role === "smtp" ? s.smtpSignInAs || s.smtpUser : s.imapSignInAs || s.imapUser) || null;
}

/** The connection key of the role: lower-cased expected sign-in name. */
export function roleAccount(s: RoleSettings, role: MailRole): string | null {
  const who = expectedSignIn(s, role);
  return who ? normalizeAccount(who) : null;
}

/** Roles (using delegated Microsoft OAuth) whose expected sign-in is this account. */
export function rolesForAccount(s: RoleSettings, account: string): MailRole[] {
  const key = normalizeAccount(account);
  return MAIL_ROLES.filter((r) => roleUsesDelegated(s, r) && roleAccount(s, r) === key);
}
