import { beforeAll, describe, expect, it } from "vitest";
import { applyMigrations } from "@/lib/db/migrate";
import { databaseUrl } from "@/lib/db/database-url";

/**
 * Test Email Configuration sends real mail (issue 11, item 8): at most 10 runs a minute per admin,
 * counted in the database (so every instance sees the same count), refused past that with a clear
 * message (an ExpectedError: the guard shows it, never a 500), before anything runs or is stored.
 */
let db: typeof import("@/lib/db/client").db;
let claim: typeof import("@/lib/mail/test-email-limit").claimTestEmailRun;
let ExpectedError: typeof import("@/lib/errors/expected-error").ExpectedError;

beforeAll(async () => {
  await applyMigrations(databaseUrl());
  ({ db } = await import("@/lib/db/client"));
  ({ claimTestEmailRun: claim } = await import("@/lib/mail/test-email-limit"));
  ({ ExpectedError } = await import("@/lib/errors/expected-error"));
});

describe("Test Email Configuration rate limit", () => {
  it("10 runs a minute per admin; the 11th is refused with a clear message; other admins are not affected", async () => {
    for (let i = 0; i < 10; i++) await claim("admin-a");
    const refused = await claim("admin-a").catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ExpectedError);
    expect((refused as Error).message).toMatch(
      /^Test Email Configuration sends real mail, so it runs at most 10 times a minute per administrator\. Try again in \d+ s\.$/,
    );
    await expect(claim("admin-b")).resolves.toBeUndefined();
  });

  it("counts what other instances recorded in the database, and forgets runs older than a minute", async () => {
    const now = Date.now();
    await db.testEmailStart.createMany({
      data: Array.from({ length: 10 }, (_, i) => ({ userId: "admin-c", startedAt: new Date(now - 61_000 - i) })),
    });
    await expect(claim("admin-c")).resolves.toBeUndefined(); // those are older than a minute
    await db.testEmailStart.createMany({
      data: Array.from({ length: 9 }, () => ({ userId: "admin-c", startedAt: new Date(now - 30_000) })),
    });
    await expect(claim("admin-c")).rejects.toBeInstanceOf(ExpectedError);
    expect(
      await db.testEmailStart.count({ where: { userId: "admin-c", startedAt: { lt: new Date(now - 60_000) } } }),
    ).toBe(0);
  });

  it("15 runs started at the same moment: exactly 10 go ahead", async () => {
    const results = await Promise.allSettled(Array.from({ length: 15 }, () => claim("admin-d")));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(10);
    for (const r of results.filter((x) => x.status === "rejected"))
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(ExpectedError);
  });

  it("the action refuses before running anything: no run stored", async () => {
    const { testEmailConfiguration } = await import("@/lib/mail/test-email");
    const runs = await db.emailTestRun.count();
    const admin = { id: "admin-a", email: "a@contoso.test", name: "A" };
    await expect(testEmailConfiguration(admin)).rejects.toThrow(/at most 10 times a minute/);
    expect(await db.emailTestRun.count()).toBe(runs);
  });
});
