import "server-only";
import { db } from "@/lib/db/client";
import { ExpectedError } from "@/lib/errors/expected-error";
import { LeaseBusyError, withLease } from "@/lib/microsoft/lease";

/**
 * Test Email Configuration sends real mail: at most TEST_EMAIL_RUNS_PER_MINUTE (default 10) runs per
 * administrator in any 60 seconds, counted in the database (`TestEmailStart`) so that every instance
 * sees the same count. The count and the new row are written under a per-admin lease, so two
 * instances starting runs at the same moment cannot both take the tenth place.
 */
const WINDOW_MS = 60_000;

function limit(): number {
  const n = Number(process.env.TEST_EMAIL_RUNS_PER_MINUTE);
  return Number.isInteger(n) && n > 0 ? n : 10;
}

/** Counts a run for the admin, or refuses it (ExpectedError: the action shows the message). */
export async function claimTestEmailRun(userId: string): Promise<void> {
  const max = limit();
  try {
    await withLease(`test-email-limit:${userId}`, { ttlMs: 5_000, waitMs: 3_000 }, async () => {
      const now = Date.now();
      const since = new Date(now - WINDOW_MS);
      await db.testEmailStart.deleteMany({ where: { startedAt: { lt: since } } });
      const recent = await db.testEmailStart.findMany({
        where: { userId, startedAt: { gte: since } },
        orderBy: { startedAt: "asc" },
        select: { startedAt: true },
      });
      if (recent.length >= max) {
        const wait = Math.max(1, Math.ceil((recent[0]!.startedAt.getTime() + WINDOW_MS - now) / 1000));
        throw new ExpectedError(
          `Test Email Configuration sends real mail, so it runs at most ${max} times a minute per administrator. Try again in ${wait} s.`,
        );
      }
      await db.testEmailStart.create({ data: { userId, startedAt: new Date(now) } });
    });
  } catch (error) {
    if (error instanceof LeaseBusyError)
      throw new ExpectedError("Another Test Email Configuration of yours is starting. Try again in a moment.");
    throw error;
  }
}
