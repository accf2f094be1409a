import { beforeAll, describe, expect, it } from "vitest";
import { applyMigrations } from "@/lib/db/migrate";
import { databaseUrl } from "@/lib/db/database-url";
import type { CheckCard } from "@/lib/mail/client-safe/types";

let repo: typeof import("@/lib/mail/test-run-repository");

beforeAll(async () => {
  await applyMigrations(databaseUrl());
  repo = await import("@/lib/mail/test-run-repository");
});

const jwt = "eyJ0eXAiOiJKV1QifQ.eyJhdWQiOiJvdXRsb29rIn0.c2lnbmF0dXJl";
const card = (n: number): CheckCard => ({
  id: "smtp",
  name: "SMTP",
  status: "failed",
  ok: false,
  ms: n,
  phases: [{ name: "authenticate", ms: n, ok: false }],
  summary: "failed",
  serverResponse: `535 5.7.3 Authentication unsuccessful ${jwt}`,
  hint: null,
  transcript: [`C: AUTH XOAUTH2 ${Buffer.from(`user=a@b.c\x01auth=Bearer ${jwt}\x01\x01`).toString("base64")}`],
});

describe("test run history", () => {
  it("keeps the last 20 runs, newest first, with who and when, and nothing shaped like a credential", async () => {
    for (let i = 0; i < 25; i++) {
      const id = `run-${String(i).padStart(2, "0")}`;
      await repo.startTestRun({ id, userId: "u1", userEmail: i % 2 ? "a@contoso.com" : "b@contoso.com" });
      await repo.finishTestRun({ id, ok: i % 3 === 0, durationMs: i, cards: [card(i)], cancelled: false });
    }
    const runs = await repo.listTestRuns();
    expect(runs).toHaveLength(20);
    expect(runs[0]).toMatchObject({ id: "run-24", userEmail: "b@contoso.com", ok: true, durationMs: 24 });
    expect(runs.at(-1)!.id).toBe("run-05");
    const stored = JSON.stringify(runs);
    expect(stored).not.toContain(jwt);
    expect(stored).not.toMatch(/AUTH XOAUTH2 [A-Za-z0-9+/]{20,}/);
    expect(runs[0]!.cards[0]!.serverResponse).toBe("535 5.7.3 Authentication unsuccessful [redacted]");
  });
});

describe("lastFinishedRunForPage", () => {
  it("is the newest finished run among the kept runs (none once 20 newer runs were cancelled)", async () => {
    const { db } = await import("@/lib/db/client");
    await db.emailTestRun.deleteMany({});
    expect(await repo.lastFinishedRunForPage()).toBeNull();
    const at = (i: number) => new Date(Date.UTC(2026, 11, 1, 10, 0, i));
    await repo.startTestRun({ id: "done-old", userId: "u1", userEmail: "a@contoso.com" });
    await repo.finishTestRun({ id: "done-old", ok: true, durationMs: 1, cards: [], cancelled: false });
    await db.emailTestRun.update({ where: { id: "done-old" }, data: { createdAt: at(0) } });
    await repo.startTestRun({ id: "running", userId: "u1", userEmail: "a@contoso.com" });
    await db.emailTestRun.update({ where: { id: "running" }, data: { createdAt: at(1) } });
    expect((await repo.lastFinishedRunForPage())?.id).toBe("done-old");

    await repo.startTestRun({ id: "done-new", userId: "u1", userEmail: "a@contoso.com" });
    await repo.finishTestRun({ id: "done-new", ok: false, durationMs: 1, cards: [], cancelled: false });
    await db.emailTestRun.update({ where: { id: "done-new" }, data: { createdAt: at(2) } });
    expect((await repo.lastFinishedRunForPage())?.id).toBe("done-new"); // failed, but finished

    // 20 newer cancelled runs: the history keeps 20, so no finished run remains.
    for (let i = 0; i < 20; i++) {
      const id = `cancelled-${String(i).padStart(2, "0")}`;
      await repo.startTestRun({ id, userId: "u1", userEmail: "a@contoso.com" });
      await repo.finishTestRun({ id, ok: false, durationMs: 1, cards: [], cancelled: true });
      await db.emailTestRun.update({ where: { id }, data: { createdAt: at(10 + i) } });
    }
    expect((await repo.testRunsForPage()).every((run) => run.status === "cancelled")).toBe(true);
    expect(await repo.lastFinishedRunForPage()).toBeNull();
  });
});
