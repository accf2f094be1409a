import type { CardLink, PhaseName } from "@/lib/mail/client-safe/types";
import type { MailRole } from "@/lib/microsoft/client-safe/mail-roles";

/**
 * Server reply (or network error) → what it means and how to fix it. Every diagnosis names the
 * host, port, mailbox or account concerned, so the administrator does not have to guess which
 * field is wrong. Pure functions: the checks feed them a normalized failure. This module holds
 * what the connection, SMTP and IMAP diagnoses share.
 */

export type MailFailure = {
  /** Node/nodemailer/imapflow error code (ENOTFOUND, ECONNREFUSED, ETIMEDOUT, CERT_HAS_EXPIRED, EAUTH, …). */
  code?: string;
  message: string;
  /** The server's reply that caused the failure, if any (e.g. "535 5.7.3 Authentication unsuccessful"). */
  response?: string | null;
  /** Where the check stopped. */
  phase: PhaseName;
  /** Which timeout fired, if any. */
  timeout?: "connect" | "greeting" | "overall";
};

export type DiagnosisContext = {
  role: MailRole;
  host: string;
  port: number;
  security: string;
  authType: "microsoft" | "password" | "none";
  /** SMTP user (the sender) / Approval Reply Address (IMAP's `user=`). */
  mailbox: string;
  /** SMTP: the From address. */
  from?: string;
  /** The Microsoft account the token belongs to (who signed in; SMTP authenticates as it), when known. */
  tokenAccount?: string | null;
  /** An app-only (Application) token: the app it belongs to (no user signed in). */
  appOnly?: { clientId: string; tenantId: string; roles: string[]; adminConsentUrl: string | null } | null;
  connectTimeoutMs: number;
  overallTimeoutMs: number;
};

export type Diagnosis = { summary: string; hint: string; links: CardLink[]; reauthorize?: MailRole };

/** The Email Settings field to fix, as a link. */
export const FIELD = (name: string) => `/settings/email#${name}`;

/** What Microsoft 365 expects, named in the hints. */
export const MS_DEFAULTS = {
  smtp: "smtp.office365.com port 587 with STARTTLS",
  imap: "outlook.office365.com port 993 with TLS",
} as const;

/** Links to the role's fields (SMTP host, Approval Reply Address, …). */
export function fields(
  ctx: DiagnosisContext,
  ...names: Array<"host" | "port" | "security" | "user" | "from" | "password">
): CardLink[] {
  const p = ctx.role;
  const map = {
    host: { label: `${p.toUpperCase()} host`, href: FIELD(`${p}Host`) },
    port: { label: `${p.toUpperCase()} port`, href: FIELD(`${p}Port`) },
    security: { label: `${p.toUpperCase()} security`, href: FIELD(`${p}Security`) },
    user:
      p === "smtp"
        ? { label: "SMTP user", href: FIELD("smtpUser") }
        : { label: "Approval Reply Address", href: FIELD("imapUser") },
    from: { label: "From address", href: FIELD("smtpFrom") },
    password: { label: `${p.toUpperCase()} password`, href: FIELD(`${p}Password`) },
  } as const;
  return names.map((n) => map[n]);
}

/** "The token belongs to X, the mailbox is Y." when they differ. */
export function wrongUserSentence(ctx: DiagnosisContext): string {
  return ctx.tokenAccount && ctx.tokenAccount.toLowerCase() !== ctx.mailbox.toLowerCase()
    ? `The token belongs to ${ctx.tokenAccount}, the mailbox is ${ctx.mailbox}. `
    : "";
}
