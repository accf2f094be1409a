import type { CheckCard } from "@/lib/mail/client-safe/types";
import { type RoleSettings, roleMailbox } from "@/lib/microsoft/client-safe/mail-roles";
import { type CheckSource, countCheck } from "@/lib/metrics/metrics";

/**
 * Counts the SMTP and IMAP checks of a run that ran (passed or failed; a skipped or cancelled card did
 * not reach the server), per mailbox and protocol.
 */
export function countTestChecks(
  settings: RoleSettings,
  cards: readonly CheckCard[],
  source: CheckSource = "test",
): void {
  for (const card of cards) {
    if (card.id !== "smtp" && card.id !== "imap") continue;
    if (card.status !== "ok" && card.status !== "failed") continue;
    countCheck(roleMailbox(settings, card.id) || "unknown", card.id, card.ok, source);
  }
}
