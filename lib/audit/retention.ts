import "server-only";
import { db } from "@/lib/db/client";

/**
 * Audit retention: the trail itself is append-only (lib/audit/audit-log.ts only creates events; a test
 * checks that nothing in lib/ or app/ updates or deletes them but this job), and the personal data in it —
 * the client address and user agent of a request — is blanked once an event is older than 90 days. The
 * event, who did it, what and when stay.
 */
export const REQUEST_FACTS_RETENTION_DAYS = 90;
/** The detail keys that hold a request's address and user agent (lib/audit/request-facts.ts). */
export const REQUEST_FACT_KEYS = ["address", "userAgent"] as const;

const BATCH = 500;

export type RetentionReport = { blanked: number; cutoff: Date };

/** Blanks the address and user agent of every event created before `now` − 90 days. */
export async function blankOldRequestFacts(now: Date): Promise<RetentionReport> {
  const cutoff = new Date(now.getTime() - REQUEST_FACTS_RETENTION_DAYS * 86_400_000);
  const where = {
    createdAt: { lt: cutoff },
    // JSON.stringify writes `"address":"…"`; a blanked (null) value no longer matches.
    OR: REQUEST_FACT_KEYS.map((key) => ({ details: { contains: `"${key}":"` } })),
  };
  let blanked = 0;
  let afterId: string | undefined;
  for (;;) {
    const rows = await db.auditEvent.findMany({
      where: afterId ? { ...where, id: { gt: afterId } } : where,
      select: { id: true, details: true },
      orderBy: { id: "asc" },
      take: BATCH,
    });
    for (const row of rows) {
      const details = blankFacts(row.details);
      if (details === null) continue;
      // The only change the app makes to a stored event (conditional on what was read).
      const { count } = await db.auditEvent.updateMany({
        where: { id: row.id, details: row.details },
        data: { details },
      });
      blanked += count;
    }
    if (rows.length < BATCH) break;
    afterId = rows.at(-1)?.id;
  }
  return { blanked, cutoff };
}

/** The details with the request facts set to null, or null when there is nothing to blank. */
function blankFacts(details: string | null): string | null {
  if (!details) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(details);
  } catch {
    return null;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return null;
  const d = parsed as Record<string, unknown>;
  const present = REQUEST_FACT_KEYS.filter((k) => d[k] !== null && d[k] !== undefined);
  if (present.length === 0) return null;
  for (const k of present) d[k] = null;
  return JSON.stringify(d);
}
