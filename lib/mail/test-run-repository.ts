import "server-only";
import { cache } from "react";
import { db } from "@/lib/db/client";
import { redact } from "@/lib/mail/redact";
import type { CheckCard, EmailTestRunView } from "@/lib/mail/client-safe/types";

/**
 * The last 20 runs of Test Email Configuration: who, when, and the cards. A run is stored when it
 * starts (status "running"), so that Cancel on any instance can mark it ("cancel requested") and the
 * instance running it sees that; it is finished as "done" or "cancelled". Cards hold no secrets by
 * construction (server replies and transcripts are redacted when the card is made); they are
 * redacted once more here so that nothing shaped like a credential reaches the table.
 */

export const KEEP_RUNS = 20;

function scrub(card: CheckCard): CheckCard {
  return {
    ...card,
    summary: redact(card.summary),
    serverResponse: card.serverResponse === null ? null : redact(card.serverResponse),
    hint: card.hint === null ? null : redact(card.hint),
    ...(card.transcript ? { transcript: card.transcript.map((l) => redact(l)) } : {}),
  };
}

type RunRow = {
  id: string;
  createdAt: Date;
  userEmail: string;
  status: string;
  ok: boolean;
  durationMs: number;
  resultsJson: string;
};

function viewOf(r: RunRow): EmailTestRunView {
  let cards: CheckCard[] = [];
  try {
    cards = JSON.parse(r.resultsJson) as CheckCard[];
  } catch {
    cards = [];
  }
  const status = r.status === "running" || r.status === "cancelled" ? r.status : "done";
  return {
    id: r.id,
    createdAt: r.createdAt.toISOString(),
    userEmail: r.userEmail,
    status,
    ok: r.ok,
    durationMs: r.durationMs,
    cards,
  };
}

/** A run that has started: in the history as "running" until it is finished. */
export async function startTestRun(run: { id: string; userId: string; userEmail: string }): Promise<void> {
  await db.emailTestRun.create({
    data: { ...run, status: "running", ok: false, durationMs: 0, resultsJson: "[]" },
  });
  await pruneTestRuns();
}

/** Stores the run's cards and its end ("done", or "cancelled" when Cancel stopped it). */
export async function finishTestRun(run: {
  id: string;
  ok: boolean;
  durationMs: number;
  cards: CheckCard[];
  cancelled: boolean;
}): Promise<EmailTestRunView> {
  const cards = run.cards.map(scrub);
  const row = await db.emailTestRun.update({
    where: { id: run.id },
    data: {
      status: run.cancelled ? "cancelled" : "done",
      ok: run.ok && !run.cancelled,
      durationMs: run.durationMs,
      resultsJson: JSON.stringify(cards),
    },
  });
  return viewOf(row);
}

/**
 * Cancel: marks a running run "cancel requested" (whichever instance runs it sees the mark).
 * "not-running": it has finished already (or was cancelled); "unknown": no such run.
 */
export async function requestCancel(id: string, by: string): Promise<"requested" | "not-running" | "unknown"> {
  const { count } = await db.emailTestRun.updateMany({
    where: { id, status: "running", cancelRequestedAt: null },
    data: { cancelRequestedAt: new Date(), cancelledBy: by },
  });
  if (count) return "requested";
  const row = await db.emailTestRun.findUnique({ where: { id }, select: { status: true } });
  if (!row) return "unknown";
  return row.status === "running" ? "requested" : "not-running";
}

/** Whether Cancel was clicked for this run (on any instance). */
export async function cancelRequested(id: string): Promise<boolean> {
  const row = await db.emailTestRun.findUnique({ where: { id }, select: { cancelRequestedAt: true } });
  return Boolean(row?.cancelRequestedAt);
}

/** Keeps the newest KEEP_RUNS rows. Safe to run concurrently: each run deletes what is older than the 20th. */
export async function pruneTestRuns(): Promise<void> {
  const keep = await db.emailTestRun.findMany({
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: KEEP_RUNS,
    select: { id: true },
  });
  if (keep.length < KEEP_RUNS) return;
  await db.emailTestRun.deleteMany({ where: { id: { notIn: keep.map((k) => k.id) } } });
}

/** The newest runs first. */
export async function listTestRuns(): Promise<EmailTestRunView[]> {
  const rows = await db.emailTestRun.findMany({ orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: KEEP_RUNS });
  return rows.map(viewOf);
}

/** Email Settings' runs (the newest KEEP_RUNS), read once per render however many sections show them. */
export const testRunsForPage = cache(listTestRuns);

/** The newest finished run, from the page's runs (only KEEP_RUNS are kept: an older one no longer exists). */
export async function lastFinishedRunForPage(): Promise<EmailTestRunView | null> {
  return (await testRunsForPage()).find((run) => run.status === "done") ?? null;
}
