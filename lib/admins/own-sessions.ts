import "server-only";
import { db } from "@/lib/db/client";
import { sessionEnd } from "@/lib/auth/session-limits";

export type OwnSession = {
  id: string;
  userAgent: string | null;
  ipAddress: string | null;
  createdAt: Date;
  /** The last request the guard recorded (lib/auth/session.ts), or the sign-in. */
  lastActiveAt: Date;
};

/** An administrator's sessions still valid now (neither idle nor past their lifetime), latest activity first. */
export async function listOwnSessions(userId: string, now = new Date()): Promise<OwnSession[]> {
  const rows = await db.session.findMany({
    where: { userId, expiresAt: { gt: now } },
    select: { id: true, userAgent: true, ipAddress: true, createdAt: true, lastActiveAt: true },
  });
  return rows
    .filter((s) => sessionEnd(s, now) === null)
    .map((s) => ({ ...s, lastActiveAt: s.lastActiveAt ?? s.createdAt }))
    .sort((a, b) => b.lastActiveAt.getTime() - a.lastActiveAt.getTime());
}
