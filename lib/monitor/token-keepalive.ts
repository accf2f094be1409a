import "server-only";
import { recordAudit } from "@/lib/audit/audit-log";
import { acquireMailToken } from "@/lib/microsoft/mail-token";
import { NeedsReauthorizationError } from "@/lib/microsoft/errors/token-errors";
import type { MailRolesStatus } from "@/lib/microsoft/mail-role-status";

/**
 * The monitor's first step: Microsoft refresh tokens die after 90 days without use (AADSTS700082), so
 * each delegated connection in use is refreshed when its last refresh is older than REFRESH_DUE_MS
 * (which rotates and stores the refresh token). The probes then take their token from the cache.
 * A failed refresh is never silent: acquireMailToken marks the connection "Needs re-authorization"
 * and audits it; the probe's token card shows it and the alert goes out.
 */
export const REFRESH_DUE_MS = 20 * 3600_000;

export type RefreshReport = {
  refreshed: string[];
  needsReauth: { account: string; reason: string }[];
  failed: { account: string; reason: string }[];
};

export async function refreshTokensWhenDue(status: MailRolesStatus, now: Date): Promise<RefreshReport> {
  const report: RefreshReport = { refreshed: [], needsReauth: [], failed: [] };
  for (const { account, roles, connection } of status.accounts) {
    if (!connection || connection.status === "needs_reauth") continue;
    const last = connection.lastRefreshAt ? Date.parse(connection.lastRefreshAt) : 0;
    if (now.getTime() - last < REFRESH_DUE_MS) continue;
    try {
      await acquireMailToken(roles[0]!, { forceRefresh: true, purpose: "refresh" });
      report.refreshed.push(account);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (error instanceof NeedsReauthorizationError) report.needsReauth.push({ account, reason });
      else {
        report.failed.push({ account, reason });
        await recordAudit(null, { action: "microsoft.keepalive_failed", target: account, details: { roles, reason } });
      }
    }
  }
  return report;
}
