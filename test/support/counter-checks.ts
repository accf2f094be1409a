/**
 * The relay's windowed counters (lib/relay/counters.ts), shared by the SQLite and the PostgreSQL test:
 * the one-statement upsert counts from zero and onward, concurrent additions all count, a limit that
 * would go over takes everything back, and the rows it writes are ordinary rows to the ORM (the
 * expiry date reads back as written and pruning removes expired ones); the activity flush writes its
 * lines (one raw INSERT), the credential's counters for today and its last use, as the Relay page reads them.
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

  // the activity flush: lines, today's relayed / refused counters and the credential's last use and error
  const credential = await db.relayCredential.create({
    data: {
      name: "t-cred",
      secretHash: "x",
      secretHint: "x",
      allowedFrom: "[]",
      allowedCidrs: "[]",
      createdBy: "t@contoso.test",
    },
  });
  const { logRelayActivity, flushActivity } = await import("@/lib/relay/activity-log");
  const { recentActivity, todayCounts } = await import("@/lib/relay/relay-repository");
  const line = { credentialId: credential.id, credentialName: "t-cred", mailFrom: "a@contoso.test", sizeBytes: 120 };
  logRelayActivity({ ...line, recipients: 2, outcome: "relayed", reply: "250 2.0.0 OK", remoteAddress: "127.0.0.1" });
  logRelayActivity({ ...line, recipients: 1, outcome: "refused", reply: "550 5.7.60 no", remoteAddress: "127.0.0.2" });
  await flushActivity();
  const lines = await recentActivity();
  expect(lines.map((l) => [l.outcome, l.recipients, l.reply]).sort()).toEqual([
    ["refused", 1, "550 5.7.60 no"],
    ["relayed", 2, "250 2.0.0 OK"],
  ]);
  expect(lines.every((l) => Math.abs(l.createdAt.getTime() - Date.now()) < 60_000)).toBe(true);
  expect(await todayCounts(credential.id)).toEqual({ relayed: 1, refused: 1 });
  const used = await db.relayCredential.findUniqueOrThrow({ where: { id: credential.id } });
  expect([used.lastUsedFrom, used.lastError]).toEqual(["127.0.0.2", "550 5.7.60 no"]);
}
