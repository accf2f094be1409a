import "server-only";
import { cache } from "react";
import { db } from "@/lib/db/client";
import { redact } from "@/lib/mail/redact";
import type { CheckCard, EmailTestRunView } from "@/lib/mail/client-safe/types";

/**
 * The last 20 runs of Test Email Configuration: who, when, and the cards. Cards hold no secrets by
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

export async function saveTestRun(run: {
  id: string;
  userId: string;
  userEmail: string;
  ok: boolean;
  durationMs: number;
  cards: CheckCard[];
}): Promise<EmailTestRunView> {
  const cards = run.cards.map(scrub);
  const row = await db.emailTestRun.create({
    data: {
      id: run.id,
      userId: run.userId,
      userEmail: run.userEmail,
      ok: run.ok,
      durationMs: run.durationMs,
      resultsJson: JSON.stringify(cards),
    },
  });
  await pruneTestRuns();
  return {
    id: row.id,
    createdAt: row.createdAt.toISOString(),
    userEmail: row.userEmail,
    ok: row.ok,
    durationMs: row.durationMs,
    cards,
  };
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

export async function listTestRuns(limit = KEEP_RUNS): Promise<EmailTestRunView[]> {
  const rows = await db.emailTestRun.findMany({ orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: limit });
  return rows.map((r) => {
    let cards: CheckCard[] = [];
    try {
      cards = JSON.parse(r.resultsJson) as CheckCard[];
    } catch {
      cards = [];
    }
    return {
      id: r.id,
      createdAt: r.createdAt.toISOString(),
      userEmail: r.userEmail,
      ok: r.ok,
      durationMs: r.durationMs,
      cards,
    };
  });
}

/** The last KEEP_RUNS runs as Email Settings shows them: read once per request (the results table and the checklist). */
export const testRunsForPage = cache((): Promise<EmailTestRunView[]> => listTestRuns());
