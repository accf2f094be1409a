import "server-only";
import { randomUUID } from "node:crypto";
import { db } from "@/lib/db/client";
import { quoteName, valueRows } from "@/lib/db/raw-sql";
import { addToCounters, counterAddition } from "@/lib/relay/counters";
import type { ActivityInput } from "@/lib/relay/relay-repository";
import { errorText, logger } from "@/lib/log/logger";

const log = logger("relay");

/**
 * What the relay did, written after the client has its answer: activity lines, each credential's
 * last use / last error and its relayed / refused counters for today, gathered for a moment and
 * written in one transaction (one commit for many messages under load, not four per message).
 */

const FLUSH_MS = 250;
const KEEP_ACTIVITY = 500;

type Entry = ActivityInput & { at: Date; remoteAddress: string };

let queue: Entry[] = [];
let timer: NodeJS.Timeout | null = null;
let flushing: Promise<void> = Promise.resolve();
let flushes = 0;

export function logRelayActivity(entry: Omit<Entry, "at">): void {
  queue.push({ ...entry, at: new Date() });
  if (!timer) {
    timer = setTimeout(() => void flushActivity(), FLUSH_MS);
    timer.unref();
  }
}

/** Writes what is queued (also on stop, and in tests before reading). */
export function flushActivity(): Promise<void> {
  if (timer) clearTimeout(timer);
  timer = null;
  const batch = queue;
  queue = [];
  flushing = flushing
    .then(() => (batch.length ? write(batch) : undefined))
    .catch((error: unknown) => {
      log.error({ error: errorText(error) }, "could not record activity");
    });
  return flushing;
}

async function write(batch: Entry[]): Promise<void> {
  const counts = new Map<string, number>();
  const lastUse = new Map<string, Entry>();
  const lastError = new Map<string, Entry>();
  for (const e of batch) {
    if (!e.credentialId) continue;
    const key = `${e.outcome === "relayed" ? "relayed" : "refused"}:${e.credentialId}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    lastUse.set(e.credentialId, e);
    if (e.outcome !== "relayed") lastError.set(e.credentialId, e);
  }
  await db.$transaction([
    ...chunks(batch, 500).map(insertActivity),
    ...(counts.size ? [addToCounters([...counts].map(([name, by]) => counterAddition(name, "day", by)))] : []),
    ...[...lastUse].map(([id, e]) =>
      db.relayCredential.updateMany({
        where: { id },
        data: {
          lastUsedAt: e.at,
          lastUsedFrom: e.remoteAddress,
          ...(lastError.has(id) ? { lastError: lastError.get(id)!.reply, lastErrorAt: lastError.get(id)!.at } : {}),
        },
      }),
    ),
  ]);
  if (++flushes % 20 === 0) await pruneActivity();
}

const ACTIVITY_COLUMNS = [
  "id",
  "createdAt",
  "credentialId",
  "credentialName",
  "mailFrom",
  "recipients",
  "sizeBytes",
  "outcome",
  "reply",
] as const;

/**
 * The activity lines in one multi-row INSERT: the ORM's createMany plans its query anew for every batch
 * size, which costs the relay's thread more than the write itself.
 */
function insertActivity(rows: Entry[]) {
  return db.$executeRawUnsafe(
    `INSERT INTO "RelayActivity" (${ACTIVITY_COLUMNS.map(quoteName).join(", ")}) VALUES ${valueRows(rows.length, ACTIVITY_COLUMNS.length)}`,
    ...rows.flatMap((e) => [
      randomUUID(),
      e.at,
      e.credentialId,
      e.credentialName,
      e.mailFrom.slice(0, 254),
      e.recipients,
      e.sizeBytes,
      e.outcome,
      e.reply.slice(0, 500),
    ]),
  );
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

async function pruneActivity(): Promise<void> {
  const cutoff = await db.relayActivity.findMany({
    orderBy: { createdAt: "desc" },
    skip: KEEP_ACTIVITY,
    take: 1,
    select: { createdAt: true },
  });
  if (cutoff[0]) await db.relayActivity.deleteMany({ where: { createdAt: { lte: cutoff[0].createdAt } } });
}
