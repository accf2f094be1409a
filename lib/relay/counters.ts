import "server-only";
import { db } from "@/lib/db/client";
import { valueRows } from "@/lib/db/raw-sql";

/**
 * Windowed counters in the database (`RelayCounter`), so that every instance counts against the same
 * limits. A key names what is counted and its window (`msg-min:<mailbox>:<minute>`); the row expires
 * with its window and is pruned.
 */

export type Window = "minute" | "quarter-hour" | "day";

const WINDOW_MS: Record<Window, number> = { minute: 60_000, "quarter-hour": 15 * 60_000, day: 86_400_000 };

/** The current window's start (UTC) and when its counter may be deleted. */
export function windowOf(window: Window, now = Date.now()): { id: string; endsAt: Date } {
  const size = WINDOW_MS[window];
  const start = Math.floor(now / size) * size;
  return { id: new Date(start).toISOString().slice(0, window === "day" ? 10 : 16), endsAt: new Date(start + size) };
}

function keyOf(name: string, window: Window, now?: number): { key: string; expiresAt: Date } {
  const w = windowOf(window, now);
  // kept a day after its window: the page's "today" counters read it
  return { key: `${name}:${w.id}`, expiresAt: new Date(w.endsAt.getTime() + 86_400_000) };
}

export type Addition = { key: string; by: number; expiresAt: Date };

/** `by` to add to the counter `name` of the current `window`. */
export function counterAddition(name: string, window: Window, by: number): Addition {
  return { ...keyOf(name, window), by };
}

/**
 * Adds each `by` to its counter in one statement (`INSERT … ON CONFLICT DO UPDATE … RETURNING`: atomic
 * on SQLite and PostgreSQL alike, so instances creating the same row at once both count); the query
 * answers the new totals. One statement instead of an upsert per counter: the relay counts three per
 * message, and each ORM operation costs the relay's one thread about a millisecond. Not awaited here,
 * so that a caller may put it in a `$transaction([...])`.
 */
export function addToCounters(additions: Addition[]) {
  return db.$queryRawUnsafe<{ key: string; count: number | bigint }[]>(
    `INSERT INTO "RelayCounter" ("key", "count", "expiresAt") VALUES ${valueRows(additions.length, 3)} ` +
      `ON CONFLICT ("key") DO UPDATE SET "count" = "RelayCounter"."count" + excluded."count" RETURNING "key", "count"`,
    ...additions.flatMap((a) => [a.key, a.by, a.expiresAt]),
  );
}

async function addAll(additions: Addition[]): Promise<Map<string, number>> {
  return new Map((await addToCounters(additions)).map((r) => [r.key, Number(r.count)]));
}

/** Adds `by` to the counter and returns the new total. */
export async function bump(name: string, window: Window, by = 1): Promise<number> {
  const addition = counterAddition(name, window, by);
  return (await addAll([addition])).get(addition.key) ?? by;
}

export async function readCounter(name: string, window: Window): Promise<number> {
  const { key } = keyOf(name, window);
  return (await db.relayCounter.findUnique({ where: { key } }))?.count ?? 0;
}

export type Limit = { name: string; window: Window; by: number; limit: number };

/**
 * Counts each limit's `by` against it, in one statement (the relay checks three per message), and
 * answers the first limit that went over (everything is taken back then), or null. Add-then-check keeps
 * the limits across instances without a lock: two racing additions both see the higher total, so at
 * worst both are refused, never both accepted over the limit.
 */
export async function takeAllWithin(limits: Limit[]): Promise<Limit | null> {
  const additions = (sign: 1 | -1) => limits.map((l) => counterAddition(l.name, l.window, sign * l.by));
  const taken = additions(1);
  const totals = await addAll(taken);
  const over = limits.find((l, i) => (totals.get(taken[i]!.key) ?? 0) > l.limit) ?? null;
  if (over) await addAll(additions(-1));
  return over;
}

export async function pruneCounters(now = new Date()): Promise<void> {
  await db.relayCounter.deleteMany({ where: { expiresAt: { lt: now } } });
}
