/**
 * The relay's windowed counters (lib/relay/counters.ts), shared by the SQLite and the PostgreSQL test:
 * the one-statement upsert counts from zero and onward, concurrent additions all count, a limit that
 * would go over takes everything back, and the rows it writes are ordinary rows to the ORM (the
 * expiry date reads back as written and pruning removes expired ones).
 */
import { expect } from "vitest";
import { applyMigrations } from "@/lib/db/migrate";
import { databaseUrl } from "@/lib/db/database-url";

export async function counterRoundTrip(): Promise<void> {
  await applyMigrations(databaseUrl());
  const { bump, readCounter, takeAllWithin, windowOf, pruneCounters } = await import("@/lib/relay/counters");
  const { db } = await import("@/lib/db/client");

  expect(await readCounter("t-count", "minute")).toBe(0);
  expect(await bump("t-count", "minute")).toBe(1);
  expect(await bump("t-count", "minute", 4)).toBe(5);
  expect(await readCounter("t-count", "minute")).toBe(5);

  // 20 additions at once (as from several instances): every one counts, none is lost to a conflict
  const totals = await Promise.all(Array.from({ length: 20 }, () => bump("t-race", "day")));
  expect(new Set(totals).size).toBe(20);
  expect(await readCounter("t-race", "day")).toBe(20);

  // within every limit: all three are taken
  const limits = [
    { name: "t-cred", window: "minute" as const, by: 1, limit: 2 },
    { name: "t-mbx", window: "minute" as const, by: 1, limit: 30 },
    { name: "t-day", window: "day" as const, by: 5, limit: 12 },
  ];
  expect(await takeAllWithin(limits)).toBeNull();
  expect(await takeAllWithin(limits)).toBeNull();
  expect([await readCounter("t-cred", "minute"), await readCounter("t-day", "day")]).toEqual([2, 10]);
  // the third goes over two limits: the first one is named and nothing of it stays counted
  expect((await takeAllWithin(limits))?.name).toBe("t-cred");
  expect(await readCounter("t-cred", "minute")).toBe(2);
  expect(await readCounter("t-mbx", "minute")).toBe(2);
  expect(await readCounter("t-day", "day")).toBe(10);

  // the expiry date the raw statement wrote is the one the ORM reads, and pruning goes by it
  const key = `t-count:${windowOf("minute").id}`;
  const row = await db.relayCounter.findUniqueOrThrow({ where: { key } });
  expect(row.expiresAt.getTime()).toBe(windowOf("minute").endsAt.getTime() + 86_400_000);
  await pruneCounters(new Date(row.expiresAt.getTime() - 1));
  expect(await readCounter("t-count", "minute")).toBe(5);
  await pruneCounters(new Date(row.expiresAt.getTime() + 1));
  expect(await readCounter("t-count", "minute")).toBe(0);
}
