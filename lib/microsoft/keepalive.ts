import "server-only";
import { recordAudit } from "@/lib/audit/audit-log";
import { ROLE_LABELS } from "@/lib/microsoft/client-safe/mail-roles";
import { listUnnotifiedNeedsReauth, markNotified } from "@/lib/microsoft/connection-repository";
import { INSTANCE_ID, tryAcquireLease } from "@/lib/microsoft/lease";
import { acquireMailToken } from "@/lib/microsoft/mail-token";
import { MicrosoftTokenError, NeedsReauthorizationError, NotConnectedError } from "@/lib/microsoft/errors/token-errors";
import { emailAdmins, type NotifyResult } from "@/lib/mail/notify-admins";
import { loadMailRoles } from "@/lib/microsoft/mail-roles-loader";

/**
 * Daily keep-alive: Microsoft refresh tokens die after 90 days without use (AADSTS700082), so an
 * idle installation refreshes each connection once a day (which also rotates and stores the
 * refresh token). One instance at a time: the `Lease` row `oauth-keepalive` is taken for a day by
 * whichever instance finds it expired, and nobody else runs until it expires again.
 *
 * A failed refresh is never silent: acquireMailToken marks the connection "Needs
 * re-authorization" and writes an audit event; the settings layout shows a banner to admins on
 * every page; and the admins get an email once per failure, when sending still works.
 */
export const KEEPALIVE_LEASE = "oauth-keepalive";
const DAY_MS = 24 * 3600 * 1000;
const LEASE_MS = DAY_MS - 10 * 60 * 1000; // a little under a day, so an hourly check keeps the daily rhythm

export type KeepAliveReport = {
  refreshed: string[];
  /** Application roles: nothing to refresh (no refresh token), but their app token is checked (from cache when valid). */
  appChecked: { role: string; mailbox: string; ok: boolean; reason: string | null }[];
  needsReauth: { account: string; reason: string }[];
  failed: { account: string; reason: string }[];
  notified: { account: string; result: NotifyResult }[];
};

type Options = { notify?: (subject: string, text: string) => Promise<NotifyResult> };

/** Runs the keep-alive when this instance gets the daily lease; null when another run holds it. */
export async function runKeepAliveIfDue(options: Options = {}): Promise<KeepAliveReport | null> {
  if (!(await tryAcquireLease(KEEPALIVE_LEASE, INSTANCE_ID, LEASE_MS))) return null;
  return runKeepAlive(options);
}

export async function runKeepAlive(options: Options = {}): Promise<KeepAliveReport> {
  const notify = options.notify ?? emailAdmins;
  const report: KeepAliveReport = { refreshed: [], appChecked: [], needsReauth: [], failed: [], notified: [] };
  const { general, status } = await loadMailRoles();
  for (const { account, roles, connection } of status.accounts) {
    if (!connection || connection.status === "needs_reauth") continue;
    try {
      await acquireMailToken(roles[0]!, { forceRefresh: true, purpose: "refresh" });
      report.refreshed.push(account);
    } catch (error) {
      if (error instanceof NeedsReauthorizationError) report.needsReauth.push({ account, reason: error.message });
      else if (error instanceof MicrosoftTokenError || error instanceof NotConnectedError) {
        report.failed.push({ account, reason: error.message });
        await recordAudit(null, {
          action: "microsoft.keepalive_failed",
          target: account,
          details: { roles, reason: error.message },
        });
      } else {
        const reason = error instanceof Error ? error.message : String(error);
        report.failed.push({ account, reason });
        await recordAudit(null, { action: "microsoft.keepalive_failed", target: account, details: { roles, reason } });
      }
    }
  }

  for (const r of status.roles) {
    if (!r.usesMicrosoft || r.connectionType !== "application" || !r.mailbox) continue;
    try {
      await acquireMailToken(r.role, { purpose: "refresh" });
      report.appChecked.push({ role: r.role, mailbox: r.mailbox, ok: true, reason: null });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      report.appChecked.push({ role: r.role, mailbox: r.mailbox, ok: false, reason });
      await recordAudit(null, {
        action: "microsoft.keepalive_failed",
        target: r.mailbox,
        details: { roles: [r.role], connection: "application", reason },
      });
    }
  }

  // Tell the admins once about each connection in use that needs re-authorization.
  const pending = await listUnnotifiedNeedsReauth();
  const base = general.serverBaseUrl;
  for (const conn of pending) {
    const roles = status.accounts.find((a) => a.account === conn.account)?.roles;
    if (!roles) continue;
    const where = base ? `${base.replace(/\/+$/, "")}/settings/email` : "Email Settings";
    const result = await notify(
      `Mail Connect: Microsoft sign-in for ${conn.account} needs re-authorization`,
      [
        `The Microsoft sign-in of ${conn.account} (${roles.map((r) => ROLE_LABELS[r].title).join(", ")}) no longer works:`,
        "",
        conn.lastError ?? "Microsoft refused the stored authorization.",
        "",
        `Open ${where}, click Re-Authorize and sign in as ${conn.account}.`,
      ].join("\n"),
    );
    report.notified.push({ account: conn.account, result });
    if (result.sent) {
      await markNotified(conn.id);
      await recordAudit(null, {
        action: "microsoft.needs_reauth_notified",
        target: conn.account,
        details: { to: result.to },
      });
    }
  }
  return report;
}

const globalForKeepAlive = globalThis as unknown as { mailConnectKeepAlive?: NodeJS.Timeout };

/** Hourly check (the first 15 minutes after start, once start-up traffic has settled); the daily lease decides who runs. Off with MAIL_CONNECT_KEEPALIVE=off. */
export function startKeepAliveScheduler(): void {
  if (process.env.MAIL_CONNECT_KEEPALIVE === "off" || globalForKeepAlive.mailConnectKeepAlive) return;
  const tick = () => {
    runKeepAliveIfDue()
      .then((report) => {
        if (report && (report.needsReauth.length || report.failed.length)) {
          console.warn(
            `[keep-alive] refreshed ${report.refreshed.length}; needs re-authorization: ${report.needsReauth.map((n) => n.account).join(", ") || "none"}; failed: ${report.failed.map((f) => f.account).join(", ") || "none"}`,
          );
        }
      })
      .catch((error: unknown) =>
        console.error("[keep-alive] run failed:", error instanceof Error ? error.message : String(error)),
      );
  };
  setTimeout(tick, 15 * 60_000).unref();
  globalForKeepAlive.mailConnectKeepAlive = setInterval(tick, 3600_000);
  globalForKeepAlive.mailConnectKeepAlive.unref();
}
