import type { CheckId } from "@/lib/mail/client-safe/types";

/** The cards a run will produce for these saved settings (shown as "in progress" while it runs). Imports nothing server-only. */
export function expectedChecks(s: { smtpAuthType: string; imapAuthType: string }): CheckId[] {
  return [
    ...(s.smtpAuthType === "microsoft" ? (["smtp-token"] as const) : []),
    "smtp",
    ...(s.imapAuthType === "microsoft" ? (["imap-token"] as const) : []),
    "imap",
  ];
}
