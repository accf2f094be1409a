import "server-only";
import { recentAlerts } from "@/lib/alerts/raise-alert";
import { ROLE_LABELS, type MailRole } from "@/lib/microsoft/client-safe/mail-roles";
import { incidents, listMailboxStates, uptime, type Incident } from "@/lib/monitor/health-repository";
import { getMonitorSettings } from "@/lib/monitor/monitor-settings-repository";
import { probedMailbox, probesFor } from "@/lib/monitor/probes";
import { loadMailRolesForPage } from "@/lib/microsoft/mail-roles-loader";

/** What the Status page shows: each monitored mailbox now, its uptime and failures, the alerts sent. */

export type MailboxStatusView = {
  role: MailRole;
  title: string;
  mailbox: string;
  probe: string;
  state: "ok" | "failing" | "unchecked";
  since: Date | null;
  lastCheckAt: Date | null;
  lastSummary: string | null;
  alertsPaused: boolean;
  uptime: { label: string; value: number | null }[];
  incidents: Incident[];
};

const WINDOWS = [
  { label: "24 h", days: 1 },
  { label: "7 days", days: 7 },
  { label: "30 days", days: 30 },
];

export async function statusPageData(now = new Date()) {
  const [{ settings, status }, states, monitor, alerts] = await Promise.all([
    loadMailRolesForPage(),
    listMailboxStates(),
    getMonitorSettings(),
    recentAlerts(20),
  ]);
  const mailboxes: MailboxStatusView[] = await Promise.all(
    probesFor(settings, status).map(async (probe) => {
      const mailbox = probedMailbox(settings, probe.role);
      const state = states.find((s) => s.role === probe.role && s.mailbox === mailbox) ?? null;
      return {
        role: probe.role,
        title: ROLE_LABELS[probe.role].title,
        mailbox,
        probe: probe.describes,
        state: state ? (state.status === "ok" ? "ok" : "failing") : "unchecked",
        since: state?.since ?? null,
        lastCheckAt: state?.lastCheckAt ?? null,
        lastSummary: state?.lastSummary ?? null,
        alertsPaused: state?.alertsPaused ?? false,
        uptime: await Promise.all(
          WINDOWS.map(async (w) => ({ label: w.label, value: await uptime(probe.role, now, w.days) })),
        ),
        incidents: await incidents(probe.role, now),
      };
    }),
  );
  return { mailboxes, monitor, alerts };
}

/** The failing mailboxes, for the banner on every page (the state the monitor last recorded; the page's settings read). */
export async function failingMailboxes(): Promise<
  { role: MailRole; mailbox: string; since: Date; summary: string | null }[]
> {
  const [{ settings, status }, states] = await Promise.all([loadMailRolesForPage(), listMailboxStates()]);
  const monitored = probesFor(settings, status).map((p) => ({
    role: p.role,
    mailbox: probedMailbox(settings, p.role),
  }));
  return states
    .filter((s) => s.status === "failing" && monitored.some((m) => m.role === s.role && m.mailbox === s.mailbox))
    .map((s) => ({ role: s.role as MailRole, mailbox: s.mailbox, since: s.since, summary: s.lastSummary }));
}
