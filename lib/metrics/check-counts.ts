import type { CheckCard } from "@/lib/mail/client-safe/types";
import { type RoleSettings, roleMailbox } from "@/lib/microsoft/client-safe/mail-roles";
import { type CheckSource, countCheck } from "@/lib/metrics/metrics";
import { logger } from "@/lib/log/logger";

const log = logger("checks");

/**
 * Counts the SMTP and IMAP checks of a run that ran (passed or failed; a skipped or cancelled card did
 * not reach the server), per mailbox and protocol, and logs one line per check (never a secret: the
 * summaries are the redacted texts the page shows).
 */
export function countTestChecks(
  settings: RoleSettings,
  cards: readonly CheckCard[],
  source: CheckSource = "test",
): void {
  for (const card of cards) {
    if (card.id !== "smtp" && card.id !== "imap") continue;
    if (card.status !== "ok" && card.status !== "failed") continue;
    const mailbox = roleMailbox(settings, card.id) || "unknown";
    countCheck(mailbox, card.id, card.ok, source);
    log.info({ source, protocol: card.id, mailbox, ok: card.ok, ms: card.ms, summary: card.summary }, "check");
  }
}
