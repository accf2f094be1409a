import type { CheckCard, EmailTestRunView } from "@/lib/mail/client-safe/types";

/**
 * How a run's cards are read: failures first, the fix split into prose and the parts to copy
 * (diagnoses mark PowerShell commands and admin-center paths with backticks), and the one sentence
 * that says what to do next, naming where the fix happens. Pure: the cards and the tests use it.
 */

type HintPart = { kind: "text"; text: string } | { kind: "code"; text: string; what: string };

const CMDLET = /^[A-Z][a-z]+-[A-Za-z]+\b/;

/** The hint as prose and code blocks: `…` marks a PowerShell command or the clicks in an admin center. */
export function hintParts(hint: string): HintPart[] {
  return hint
    .split("`")
    .map((text, i): HintPart | null => {
      if (i % 2 === 0) return text.trim() ? { kind: "text", text: text.trim() } : null;
      return { kind: "code", text, what: CMDLET.test(text) ? "PowerShell command" : "admin center steps" };
    })
    .filter((p): p is HintPart => p !== null);
}

const RANK: Record<CheckCard["status"], number> = { failed: 0, cancelled: 1, skipped: 2, ok: 3 };

/** Failures first, then what did not run, then what passed (each group in run order). */
export function orderCards(cards: CheckCard[]): CheckCard[] {
  return cards
    .map((card, i) => ({ card, i }))
    .sort((a, b) => RANK[a.card.status] - RANK[b.card.status] || a.i - b.i)
    .map((x) => x.card);
}

const MICROSOFT_PLACES = ["Microsoft 365 admin center", "Exchange admin center", "Azure", "Entra ID"] as const;

/** Where the card's fix happens: these settings, a Microsoft admin portal, both, or neither (try again). */
function fixPlace(card: CheckCard): { settings: boolean; microsoft: string | null } {
  const prose = hintParts(card.hint ?? "")
    .filter((p) => p.kind === "text")
    .map((p) => p.text)
    .join(" ");
  const settings = (card.links ?? []).some((l) => l.href.startsWith("/settings/email#")) || /\bsave\b/i.test(prose);
  const microsoft = MICROSOFT_PLACES.find((place) => prose.includes(place)) ?? null;
  return { settings, microsoft };
}

const ROLE_NAME = { smtp: "the SMTP account", imap: "the IMAP account" } as const;

/** What to do after a run, in one sentence. */
export function nextStep(run: EmailTestRunView): string {
  const done = run.cards.filter((c) => c.status !== "cancelled").length;
  if (run.status === "cancelled")
    return `Cancelled: ${done} of ${run.cards.length} checks finished before the test stopped. Test again when you are ready.`;
  if (run.ok) return "Mail can be sent and approval replies read with the saved settings.";
  const first = orderCards(run.cards)[0];
  if (!first) return "Test again after fixing the settings.";
  if (first.reauthorize)
    return `Re-Authorize the mailbox shown below, then test again. Nothing needs saving: ${ROLE_NAME[first.reauthorize]} signs in again at Microsoft.`;
  const start = `Start with “${first.name}” below:`;
  const { settings, microsoft } = fixPlace(first);
  if (microsoft && settings)
    return `${start} either change the settings it links to and save, or make the change in the ${microsoft} as its “How to fix” shows; then test again.`;
  if (microsoft)
    return `${start} the fix is in the ${microsoft}, not in these settings: make the change its “How to fix” shows, then test again (nothing to save here).`;
  if (settings) return `${start} change the settings it links to, save, then test again.`;
  return `${start} its “How to fix” says what to do; then test again.`;
}
