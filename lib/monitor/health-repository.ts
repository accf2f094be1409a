import "server-only";
import { db } from "@/lib/db/client";
import type { CheckCard } from "@/lib/mail/client-safe/types";
import type { MailRole } from "@/lib/microsoft/client-safe/mail-roles";

/**
 * The monitor's records: every probe result (HealthCheck, kept 30 days) and each role's state now
 * (MailboxHealth: ok or failing since when, the last alert, alerts paused). A state change is a
 * compare-and-set on the previous status, so two runs cannot both announce the same change.
 */

export const KEEP_DAYS = 30;
const DAY_MS = 86_400_000;

export type ProbeResult = {
  role: MailRole;
  mailbox: string;
  ok: boolean;
  durationMs: number;
  /** The first failing card's summary and hint (the diagnosis), or the passing probe's summary. */
  summary: string;
  hint: string | null;
  cards: CheckCard[];
  /** The failure asks for Re-Authorize (Microsoft refused the stored sign-in). */
  needsReauth: boolean;
};

export type Transition = "started_failing" | "recovered" | "still_failing" | "unchanged";

export async function recordCheck(r: ProbeResult, at: Date, instance: string): Promise<void> {
  await db.healthCheck.create({
    data: {
      createdAt: at,
      role: r.role,
      mailbox: r.mailbox,
      ok: r.ok,
      durationMs: r.durationMs,
      summary: r.summary.slice(0, 2000),
      hint: r.hint?.slice(0, 2000) ?? null,
      cards: JSON.stringify(r.cards),
      instance,
    },
  });
}

export type MailboxState = Awaited<ReturnType<typeof listMailboxStates>>[number];

export async function listMailboxStates() {
  return db.mailboxHealth.findMany({ orderBy: { role: "desc" } }); // smtp, then imap
}

/**
 * Applies a probe result to the role's state and says what changed. `reminderMs`: a failing role whose
 * last alert is older than this is due a reminder (the caller sends it and calls `markAlerted`).
 */
export async function applyResult(
  r: ProbeResult,
  at: Date,
  reminderMs = DAY_MS,
): Promise<{ transition: Transition; since: Date; paused: boolean }> {
  const status = r.ok ? "ok" : "failing";
  const current = await db.mailboxHealth.findUnique({ where: { role: r.role } });
  const base = { mailbox: r.mailbox, lastCheckAt: at, lastSummary: r.ok ? null : r.summary.slice(0, 2000) };
  if (!current) {
    try {
      await db.mailboxHealth.create({ data: { role: r.role, status, since: at, ...base } });
      return { transition: r.ok ? "unchanged" : "started_failing", since: at, paused: false };
    } catch {
      return applyResult(r, at, reminderMs); // created by another run meanwhile
    }
  }
  if (current.status === status || current.mailbox !== r.mailbox) {
    // The same state (or another mailbox now: start its history afresh without announcing a change).
    const moved = current.mailbox !== r.mailbox;
    await db.mailboxHealth.update({
      where: { role: r.role },
      data: { ...base, status, ...(moved ? { since: at, lastAlertAt: null } : {}) },
    });
    if (moved) return { transition: r.ok ? "unchanged" : "started_failing", since: at, paused: current.alertsPaused };
    const due = !r.ok && (!current.lastAlertAt || at.getTime() - current.lastAlertAt.getTime() >= reminderMs);
    return { transition: due ? "still_failing" : "unchanged", since: current.since, paused: current.alertsPaused };
  }
  const { count } = await db.mailboxHealth.updateMany({
    where: { role: r.role, status: current.status },
    data: { ...base, status, since: at },
  });
  if (count === 0) return { transition: "unchanged", since: at, paused: current.alertsPaused };
  // recovered: `since` is when the failure began (the alert says how long it lasted)
  return {
    transition: r.ok ? "recovered" : "started_failing",
    since: r.ok ? current.since : at,
    paused: current.alertsPaused,
  };
}

export async function markAlerted(role: MailRole, at: Date): Promise<void> {
  await db.mailboxHealth.updateMany({ where: { role }, data: { lastAlertAt: at } });
}

export async function setAlertsPaused(role: MailRole, paused: boolean): Promise<boolean> {
  const { count } = await db.mailboxHealth.updateMany({
    where: { role, alertsPaused: !paused },
    data: { alertsPaused: paused },
  });
  return count === 1;
}

export async function pruneChecks(before: Date): Promise<number> {
  const { count } = await db.healthCheck.deleteMany({ where: { createdAt: { lt: before } } });
  return count;
}

/** Share of passing checks over the last `days` (null: no check in that window). */
export async function uptime(role: MailRole, now: Date, days: number): Promise<number | null> {
  const since = new Date(now.getTime() - days * DAY_MS);
  const [total, ok] = await Promise.all([
    db.healthCheck.count({ where: { role, createdAt: { gte: since } } }),
    db.healthCheck.count({ where: { role, createdAt: { gte: since }, ok: true } }),
  ]);
  return total === 0 ? null : ok / total;
}

export type Incident = {
  start: Date;
  /** The first passing check after it (null: still failing). */
  end: Date | null;
  checks: number;
  summary: string;
  hint: string | null;
};

/**
 * Failures over the kept history, newest first: consecutive failing checks are one incident, shown
 * with the diagnosis of its first check (and the latest, when it changed).
 */
export async function incidents(role: MailRole, now: Date, take = 20): Promise<Incident[]> {
  const rows = await db.healthCheck.findMany({
    where: { role, createdAt: { gte: new Date(now.getTime() - KEEP_DAYS * DAY_MS) } },
    orderBy: { createdAt: "asc" },
    select: { createdAt: true, ok: true, summary: true, hint: true },
  });
  const out: Incident[] = [];
  let open: Incident | null = null;
  for (const row of rows) {
    if (!row.ok) {
      if (open) open.checks++;
      else {
        open = { start: row.createdAt, end: null, checks: 1, summary: row.summary, hint: row.hint };
        out.push(open);
      }
    } else if (open) {
      open.end = row.createdAt;
      open = null;
    }
  }
  return out.reverse().slice(0, take);
}
