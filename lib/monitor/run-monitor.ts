import "server-only";
import { countTestChecks } from "@/lib/metrics/check-counts";
import { recordAudit } from "@/lib/audit/audit-log";
import { pageLink, type AlertEventInput } from "@/lib/alerts/alert-events";
import { pruneAlerts, raiseAlert, type AlertOptions, type RaisedAlert } from "@/lib/alerts/raise-alert";
import { formatUtc } from "@/lib/format/client-safe/utc";
import type { TlsExtras } from "@/lib/mail/connection";
import type { CheckCard } from "@/lib/mail/client-safe/types";
import { ROLE_LABELS, type MailRole } from "@/lib/microsoft/client-safe/mail-roles";
import { markNotified } from "@/lib/microsoft/connection-repository";
import { INSTANCE_ID, LeaseBusyError, tryAcquireLease, withLease } from "@/lib/microsoft/lease";
import { loadMailRoles } from "@/lib/microsoft/mail-roles-loader";
import {
  applyResult,
  KEEP_DAYS,
  markAlerted,
  pruneChecks,
  recordCheck,
  type ProbeResult,
  type Transition,
} from "@/lib/monitor/health-repository";
import { raiseExpiryAlerts } from "@/lib/monitor/expiry-alerts";
import { getMonitorSettings } from "@/lib/monitor/monitor-settings-repository";
import { probedMailbox, probesFor } from "@/lib/monitor/probes";
import { refreshTokensWhenDue, type RefreshReport } from "@/lib/monitor/token-keepalive";

/**
 * The health monitor: every N minutes (Monitoring settings, default 15) one instance — whichever takes
 * the `health-monitor` lease for the interval — refreshes the Microsoft tokens that are due, probes each
 * configured mailbox role (nothing sent), keeps the results 30 days, and alerts **once** when a role starts
 * failing, **once** when it recovers, and once a day while it stays down. `health-monitor-run` keeps two
 * runs (the schedule and "Run checks now") from overlapping. It replaces the daily keep-alive.
 */
export const MONITOR_LEASE = "health-monitor";
export const MONITOR_RUN_LEASE = "health-monitor-run";
const DAY_MS = 86_400_000;

export type MonitorOptions = Pick<AlertOptions, "notify" | "webhook"> & {
  /** The clock (tests control it). */
  now?: () => Date;
  /** Extra CA for the mail servers (tests against the sandbox). */
  tls?: TlsExtras;
  /** How long a role stays down before the reminder (default a day). */
  reminderMs?: number;
};

export type MonitorReport = {
  at: Date;
  tokens: RefreshReport;
  results: (Pick<ProbeResult, "role" | "mailbox" | "ok" | "summary"> & { transition: Transition })[];
  alerts: RaisedAlert[];
};

/** Runs when this instance takes the interval's lease; null when another instance (or run) has it. */
export async function runMonitorIfDue(options: MonitorOptions = {}): Promise<MonitorReport | null> {
  const { intervalMinutes } = await getMonitorSettings();
  const ttl = Math.max(intervalMinutes * 60_000 - 30_000, 60_000);
  if (!(await tryAcquireLease(MONITOR_LEASE, INSTANCE_ID, ttl))) return null;
  try {
    return await runMonitor(options);
  } catch (error) {
    if (error instanceof LeaseBusyError) return null; // "Run checks now" is running: its results count
    throw error;
  }
}

/** One run now (the schedule, "Run checks now"); LeaseBusyError while another run is in progress. */
export function runMonitor(options: MonitorOptions = {}): Promise<MonitorReport> {
  return withLease(MONITOR_RUN_LEASE, { ttlMs: 10 * 60_000, waitMs: 0 }, () => monitorOnce(options));
}

function toResult(role: MailRole, mailbox: string, cards: CheckCard[], durationMs: number): ProbeResult {
  const failing = cards.find((c) => !c.ok);
  return {
    role,
    mailbox,
    ok: cards.length > 0 && !failing,
    durationMs,
    summary: failing ? failing.summary : cards.map((c) => c.summary).join(" "),
    hint: failing?.hint ?? null,
    cards,
    needsReauth: Boolean(failing?.reauthorize && failing.id.endsWith("-token")),
  };
}

function roleAlert(
  r: ProbeResult,
  transition: Exclude<Transition, "unchanged">,
  since: Date,
  now: Date,
  base: string | null,
): AlertEventInput {
  const title = `${ROLE_LABELS[r.role].title} (${r.mailbox})`;
  const facts = { role: r.role, mailbox: r.mailbox, since: since.toISOString() };
  if (transition === "recovered") {
    const down = Math.max(1, Math.round((now.getTime() - since.getTime()) / 60_000));
    return {
      kind: "mailbox.recovered",
      target: r.mailbox,
      title: `${title} works again`,
      summary: `The ${ROLE_LABELS[r.role].short} checks of ${r.mailbox} pass again (${r.summary})`,
      link: pageLink(base, "/settings/status", "the Status page"),
      facts: { ...facts, since: since.toISOString(), downMinutes: down },
    };
  }
  const reminder = transition === "still_failing";
  const kind = reminder ? "mailbox.still_failing" : r.needsReauth ? "connection.needs_reauth" : "mailbox.failing";
  const what = r.needsReauth ? `Microsoft sign-in for ${r.mailbox} needs re-authorization` : `${title} is failing`;
  return {
    kind,
    target: r.mailbox,
    title: reminder ? `${title} is still failing (since ${formatUtc(since)})` : what,
    summary: r.summary,
    hint: r.hint,
    link: pageLink(
      base,
      r.needsReauth ? "/settings/email#microsoft-connections" : "/settings/status",
      r.needsReauth ? "Email Settings" : "the Status page",
    ),
    facts: { ...facts, needsReauthorization: r.needsReauth },
  };
}

async function monitorOnce(options: MonitorOptions): Promise<MonitorReport> {
  const now = options.now?.() ?? new Date();
  const { settings, general, status } = await loadMailRoles();
  const tokens = await refreshTokensWhenDue(status, now);
  // One role after the other: when both sign in as one account (or one app), the second token comes
  // from the cache (one token request, one refresh-token rotation), as in Test Email Configuration.
  const results: ProbeResult[] = [];
  for (const probe of probesFor(settings, status)) {
    const started = performance.now();
    const cards = await probe.run({ settings, tls: options.tls });
    countTestChecks(settings, cards, "monitor");
    const mailbox = probedMailbox(settings, probe.role);
    results.push(toResult(probe.role, mailbox, cards, Math.round(performance.now() - started)));
  }

  const report: MonitorReport = { at: now, tokens, results: [], alerts: [] };
  for (const r of results) {
    await recordCheck(r, now, INSTANCE_ID);
    const { transition, since, paused } = await applyResult(r, now, options.reminderMs ?? DAY_MS);
    report.results.push({ role: r.role, mailbox: r.mailbox, ok: r.ok, summary: r.summary, transition });
    if (transition === "unchanged") continue;
    const alert = await raiseAlert(roleAlert(r, transition, since, now, general.serverBaseUrl), {
      notify: options.notify,
      webhook: options.webhook,
      paused,
    });
    report.alerts.push(alert);
    if (transition !== "recovered") await markAlerted(r.role, now);
    if (r.needsReauth && alert.delivered) await noteReauthNotified(status.accounts, r.role, alert);
  }

  report.alerts.push(
    ...(await raiseExpiryAlerts(settings, status, now, general.serverBaseUrl, {
      notify: options.notify,
      webhook: options.webhook,
    })),
  );

  const before = new Date(now.getTime() - KEEP_DAYS * DAY_MS);
  await Promise.all([pruneChecks(before), pruneAlerts(before)]);
  return report;
}

/** The admins were told that the role's connection needs re-authorization (once per failure). */
async function noteReauthNotified(
  accounts: Awaited<ReturnType<typeof loadMailRoles>>["status"]["accounts"],
  role: MailRole,
  alert: RaisedAlert,
): Promise<void> {
  const account = accounts.find((a) => a.roles.includes(role));
  if (!account?.connection) return;
  await markNotified(account.connection.id);
  await recordAudit(null, {
    action: "microsoft.needs_reauth_notified",
    target: account.account,
    details: { to: alert.email?.sent ? alert.email.to : [], webhook: Boolean(alert.webhook?.ok) },
  });
}
