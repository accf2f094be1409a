import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { applyMigrations } from "@/lib/db/migrate";
import { databaseUrl } from "@/lib/db/database-url";

/**
 * Issue 15: addresses and user agents in the audit trail are blanked after 90 days, by a daily job under
 * a lease; everything else of an event stays. The clock is the test's.
 */
let retention: typeof import("@/lib/audit/retention");
let scheduler: typeof import("@/lib/audit/retention-scheduler");
let db: typeof import("@/lib/db/client").db;

beforeAll(async () => {
  await applyMigrations(databaseUrl());
  retention = await import("@/lib/audit/retention");
  scheduler = await import("@/lib/audit/retention-scheduler");
  ({ db } = await import("@/lib/db/client"));
});

beforeEach(async () => {
  await db.auditEvent.deleteMany();
  await db.lease.deleteMany();
});

const NOW = new Date("2027-03-01T12:00:00Z");
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);

async function event(createdAt: Date, details: Record<string, unknown> | null, action = "auth.sign_in_failed") {
  const row = await db.auditEvent.create({
    data: {
      createdAt,
      action,
      target: "admin@contoso.com",
      actorEmail: null,
      details: details ? JSON.stringify(details) : null,
    },
  });
  return row.id;
}

const read = async (id: string) => {
  const row = await db.auditEvent.findUniqueOrThrow({ where: { id } });
  return { ...row, details: row.details ? JSON.parse(row.details) : null };
};

describe("audit retention", () => {
  it("blanks the address and user agent of events older than 90 days, and keeps the rest", async () => {
    const facts = {
      address: "203.0.113.7",
      userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/131",
      reason: "wrong email or password",
      failures: 3,
    };
    const old = await event(daysAgo(91), facts);
    const justOld = await event(new Date(daysAgo(90).getTime() - 1000), { address: "198.51.100.2", userAgent: null });
    const recent = await event(daysAgo(89), facts);
    const noFacts = await event(daysAgo(200), { changed: ["smtpHost"] }, "settings.email.saved");
    const noDetails = await event(daysAgo(200), null, "auth.signed_out");

    const report = await retention.blankOldRequestFacts(NOW);
    expect(report).toEqual({ blanked: 2, cutoff: daysAgo(90) });

    expect(await read(old)).toMatchObject({
      action: "auth.sign_in_failed",
      target: "admin@contoso.com",
      createdAt: daysAgo(91),
      details: { address: null, userAgent: null, reason: "wrong email or password", failures: 3 },
    });
    expect((await read(justOld)).details).toEqual({ address: null, userAgent: null });
    expect((await read(recent)).details).toEqual(facts);
    expect((await read(noFacts)).details).toEqual({ changed: ["smtpHost"] });
    expect((await read(noDetails)).details).toBeNull();

    // A second run finds nothing left to blank; the recent event's turn comes when it is 90 days old.
    expect((await retention.blankOldRequestFacts(NOW)).blanked).toBe(0);
    expect((await retention.blankOldRequestFacts(new Date(NOW.getTime() + 2 * 86_400_000))).blanked).toBe(1);
    expect((await read(recent)).details).toMatchObject({ address: null, userAgent: null, failures: 3 });
  });

  it("works through more events than one batch", async () => {
    await db.auditEvent.createMany({
      data: Array.from({ length: 1100 }, (_, i) => ({
        createdAt: daysAgo(100 + (i % 5)),
        action: "auth.signed_in",
        details: JSON.stringify({
          address: `10.0.${Math.floor(i / 250)}.${i % 250}`,
          userAgent: "UA",
          method: "password",
        }),
      })),
    });
    expect((await retention.blankOldRequestFacts(NOW)).blanked).toBe(1100);
    expect(await db.auditEvent.count({ where: { details: { contains: '"address":"' } } })).toBe(0);
  });

  it("runs once a day across instances: the lease holder runs, the others skip", async () => {
    const id = await event(daysAgo(120), { address: "203.0.113.9", userAgent: "UA" });
    const first = await scheduler.runAuditRetentionIfDue(() => NOW);
    expect(first?.blanked).toBe(1);
    await event(daysAgo(120), { address: "203.0.113.10", userAgent: "UA" });
    expect(await scheduler.runAuditRetentionIfDue(() => NOW)).toBeNull();
    expect((await read(id)).details).toEqual({ address: null, userAgent: null });
    const lease = await db.lease.findUniqueOrThrow({ where: { name: scheduler.AUDIT_RETENTION_LEASE } });
    expect(lease.expiresAt.getTime() - Date.now()).toBeGreaterThan(23 * 3600_000);
  });
});
