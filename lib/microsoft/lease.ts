import "server-only";
import { randomUUID } from "node:crypto";
import { db } from "@/lib/db/client";
import { instanceId } from "@/lib/runtime/instance-id";

/**
 * Named leases in the database (the `Lease` table), so that one holder at a time — across requests
 * and across instances sharing the database — runs a piece of work. A lease expires by itself, so a
 * crashed holder does not block the others for longer than its time to live.
 */
export const INSTANCE_ID = instanceId();

export async function tryAcquireLease(name: string, holder: string, ttlMs: number): Promise<boolean> {
  const now = new Date();
  const expiresAt = new Date(now.getTime() + ttlMs);
  try {
    await db.lease.create({ data: { name, holder, expiresAt } });
    return true;
  } catch (error) {
    // Taken by someone else — possibly released again in the meantime (seen on PostgreSQL with two
    // instances), so a unique violation alone means "try again", not a database problem.
    const existing = isUniqueViolation(error) ? true : await db.lease.findUnique({ where: { name } });
    if (!existing) throw error; // not a conflict: a real database problem
  }
  // Taken: take it over only if it has expired (conditional update, so only one taker wins).
  const { count } = await db.lease.updateMany({
    where: { name, expiresAt: { lte: now } },
    data: { holder, expiresAt },
  });
  return count === 1;
}

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown };
  return e?.code === "P2002" || (typeof e?.message === "string" && /Unique constraint failed/.test(e.message));
}

export async function releaseLease(name: string, holder: string): Promise<void> {
  await db.lease.deleteMany({ where: { name, holder } });
}

export class LeaseBusyError extends Error {
  constructor(readonly leaseName: string) {
    super("Another refresh of this Microsoft connection is still running. Try again in a moment.");
    this.name = "LeaseBusyError";
  }
}

/** Runs `fn` while holding the lease; waits (polling) up to `waitMs` for it. */
export async function withLease<T>(
  name: string,
  options: { ttlMs: number; waitMs: number },
  fn: () => Promise<T>,
): Promise<T> {
  const holder = `${INSTANCE_ID}:${randomUUID()}`;
  const deadline = Date.now() + options.waitMs;
  let delay = 20;
  while (!(await tryAcquireLease(name, holder, options.ttlMs))) {
    if (Date.now() >= deadline) throw new LeaseBusyError(name);
    await new Promise((r) => setTimeout(r, delay + Math.floor(Math.random() * delay)));
    delay = Math.min(delay * 2, 250);
  }
  try {
    return await fn();
  } finally {
    await releaseLease(name, holder).catch(() => undefined);
  }
}
