import "server-only";
import type { MailCheckResult } from "@/lib/mail/mail-check";
import { FIELD } from "@/lib/mail/diagnosis";
import { CHECK_NAMES, type CardLink, type CheckCard, type CheckId } from "@/lib/mail/client-safe/types";
import { FIELD_LABELS, type RequiredField } from "@/lib/settings/client-safe/requirements";

/**
 * The cards of Test Email Configuration that are not a check's own result: a check skipped (with what
 * is missing and links to those fields), cancelled, or the result of a check shaped as its card.
 */

export type Missing = { field: RequiredField; label: string };

export const need = (field: RequiredField): Missing => ({ field, label: FIELD_LABELS[field] });

export function incompleteCard(id: CheckId, missing: Missing[], saved: boolean): CheckCard {
  const list = missing.map((m) => m.label).join(", ");
  const verb = missing.length === 1 ? "is" : "are";
  return {
    ...skippedCard(
      id,
      saved
        ? `Incomplete settings: ${list} ${verb} missing.`
        : `Email Settings have not been saved yet: ${list} ${verb} missing.`,
      `Fill in ${list} on Email Settings and save, then test again.`,
    ),
    links: missing.map((m): CardLink => ({ label: m.label, href: FIELD(m.field) })),
  };
}

export function skippedCard(id: CheckId, summary: string, hint: string | null): CheckCard {
  return {
    id,
    name: CHECK_NAMES[id],
    status: "skipped",
    ok: false,
    ms: 0,
    phases: [],
    summary,
    serverResponse: null,
    hint,
  };
}

export function cancelledCard(id: CheckId): CheckCard {
  return {
    id,
    name: CHECK_NAMES[id],
    status: "cancelled",
    ok: false,
    ms: 0,
    phases: [],
    summary: "Cancelled: the run was stopped before this check finished.",
    serverResponse: null,
    hint: null,
  };
}

export function fromResult(id: CheckId, r: MailCheckResult): CheckCard {
  return { id, name: CHECK_NAMES[id], status: r.ok ? "ok" : "failed", ...r };
}
