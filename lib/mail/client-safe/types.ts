import type { MailRole } from "@/lib/microsoft/client-safe/mail-roles";

/**
 * What Test Email Configuration returns: one card per check. Plain data (no Dates, no class
 * instances), so it crosses the server-action boundary and is stored as JSON in the run history.
 */

export type CheckId = "smtp-token" | "smtp" | "imap-token" | "imap";

/** "token wait": the connection was ready before the Microsoft token (they are set up in parallel). */
export type PhaseName =
  | "DNS + connect"
  | "greeting/EHLO"
  | "TLS"
  | "token wait"
  | "authenticate"
  | "send"
  | "SELECT INBOX"
  | "token";

export type Phase = {
  name: PhaseName;
  /** Milliseconds spent in this phase (until it ended or failed). */
  ms: number;
  ok: boolean;
  /** e.g. "127.0.0.1:587", "STARTTLS, TLSv1.3", "XOAUTH2 as mailer@contoso.com". */
  detail?: string;
};

export type CardLink = { label: string; href: string };

export type CheckCard = {
  id: CheckId;
  name: string;
  /** ok: passed; failed: ran and failed; skipped: could not run (missing settings, no token); cancelled: stopped by Cancel. */
  status: "ok" | "failed" | "skipped" | "cancelled";
  ok: boolean;
  ms: number;
  phases: Phase[];
  /** One sentence: what happened. */
  summary: string;
  /** The raw server reply (tokens and passwords redacted), or null when there was none. */
  serverResponse: string | null;
  /** Diagnosis and fix, or null when all is well. */
  hint: string | null;
  /** Links to the fields to fix (e.g. /settings/email#smtpHost) or to documentation. */
  links?: CardLink[];
  /** Offer a Re-Authorize button for this mailbox role. */
  reauthorize?: MailRole;
  /** The redacted protocol exchange, for the curious administrator. */
  transcript?: string[];
  /** Facts worth showing: account, expiry, message count, … */
  facts?: Record<string, string | number>;
};

export type EmailTestRunView = {
  id: string;
  createdAt: string;
  userEmail: string;
  /** running: on some instance now; cancelled: stopped by Cancel (the cards say how far it got). */
  status: "running" | "done" | "cancelled";
  ok: boolean;
  durationMs: number;
  cards: CheckCard[];
};

export const CHECK_NAMES: Record<CheckId, string> = {
  "smtp-token": "Microsoft token for the SMTP account",
  smtp: "SMTP: send a test message",
  "imap-token": "Microsoft token for the IMAP account",
  imap: "IMAP: read the Approval Reply inbox",
};

/** Where a running check is: its current phase and the limit it runs under. */
export type CheckProgress = {
  check: CheckId;
  phase: PhaseName;
  /** The check's time limit in ms (the overall timeout; per request for Microsoft tokens). */
  timeoutMs: number;
  /** e.g. "overall timeout 30 s, connect 10 s", "overall timeout 30 s for Microsoft's answer". */
  timeoutLabel: string;
};

/** One line of the streamed run (NDJSON from POST /api/test-email). */
export type TestRunEvent =
  | { type: "started"; runId: string; to: string; checks: CheckId[] }
  | ({ type: "phase" } & CheckProgress)
  | { type: "card"; card: CheckCard }
  | { type: "done"; run: EmailTestRunView; history: EmailTestRunView[] }
  | { type: "failed"; error: string };
