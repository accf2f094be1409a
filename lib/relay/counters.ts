import "server-only";
import { db } from "@/lib/db/client";

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

/** Adds `by` to the counter and returns the new total. */
export async function bump(name: string, window: Window, by = 1): Promise<number> {
  const { key, expiresAt } = keyOf(name, window);
  for (let attempt = 0; ; attempt++) {
    try {
      const row = await db.relayCounter.upsert({
        where: { key },
        create: { key, count: by, expiresAt },
        update: { count: { increment: by } },
      });
      return row.count;
    } catch (error) {
      // two instances creating the same row at once: the loser updates it
      if (attempt < 2 && /Unique constraint|P2002/.test(String((error as Error)?.message ?? error))) continue;
      throw error;
    }
  }
}

export async function readCounter(name: string, window: Window): Promise<number> {
  const { key } = keyOf(name, window);
  return (await db.relayCounter.findUnique({ where: { key } }))?.count ?? 0;
}

/**
 * Counts `by` against `limit`: adds it and, when the total would go over, takes it back and answers
 * false. Add-then-check keeps the limit across instances without a lock (two racing additions both
 * see the higher total; at worst both are refused, never both accepted over the limit).
 */
export async function takeWithin(name: string, window: Window, by: number, limit: number): Promise<boolean> {
  const total = await bump(name, window, by);
  if (total <= limit) return true;
  await bump(name, window, -by);
  return false;
}

export type Limit = { name: string; window: Window; by: number; limit: number };

/**
 * `takeWithin` for several limits in one database transaction (one commit: the relay checks three per
 * message). Answers the first limit that would go over (everything taken back then), or null.
 */
export async function takeAllWithin(limits: Limit[]): Promise<Limit | null> {
  const upserts = (sign: 1 | -1) =>
    limits.map((l) => {
      const { key, expiresAt } = keyOf(l.name, l.window);
      return db.relayCounter.upsert({
        where: { key },
        create: { key, count: sign * l.by, expiresAt },
        update: { count: { increment: sign * l.by } },
      });
    });
  const rows = await db.$transaction(upserts(1));
  const over = limits.find((l, i) => rows[i]!.count > l.limit) ?? null;
  if (over) await db.$transaction(upserts(-1));
  return over;
}

export async function pruneCounters(now = new Date()): Promise<void> {
  await db.relayCounter.deleteMany({ where: { expiresAt: { lt: now } } });
}
