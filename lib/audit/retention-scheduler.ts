import "server-only";
import { blankOldRequestFacts, type RetentionReport } from "@/lib/audit/retention";
import { INSTANCE_ID, tryAcquireLease } from "@/lib/microsoft/lease";
import { errorText, logger } from "@/lib/log/logger";

const log = logger("audit-retention");

/**
 * Runs the audit retention once a day, one instance at a time: the `Lease` row `audit-retention` is
 * taken for a little under a day by whichever instance finds it expired (checked every hour, first a
 * few minutes after start). Off with MAIL_CONNECT_AUDIT_RETENTION=off.
 */
export const AUDIT_RETENTION_LEASE = "audit-retention";
const HOUR_MS = 3600_000;
const LEASE_MS = 24 * HOUR_MS - 10 * 60_000;

/** The retention when this instance gets the daily lease; null when another run holds it. */
export async function runAuditRetentionIfDue(now: () => Date = () => new Date()): Promise<RetentionReport | null> {
  if (!(await tryAcquireLease(AUDIT_RETENTION_LEASE, INSTANCE_ID, LEASE_MS))) return null;
  return blankOldRequestFacts(now());
}

const globalForRetention = globalThis as unknown as { mailConnectAuditRetention?: NodeJS.Timeout };

export function startAuditRetentionScheduler(firstRunMs = 5 * 60_000): void {
  if (process.env.MAIL_CONNECT_AUDIT_RETENTION === "off" || globalForRetention.mailConnectAuditRetention) return;
  const tick = () => {
    runAuditRetentionIfDue()
      .then((report) => {
        if (report?.blanked)
          log.info({ blanked: report.blanked }, "blanked the address and user agent of events older than 90 days");
      })
      .catch((error: unknown) => log.error({ error: errorText(error) }, "run failed"));
  };
  setTimeout(tick, firstRunMs).unref();
  globalForRetention.mailConnectAuditRetention = setInterval(tick, HOUR_MS);
  globalForRetention.mailConnectAuditRetention.unref();
}
