import type { Metadata } from "next";
import Link from "next/link";
import { requireAdminPage } from "@/lib/auth/guard";
import { formatUtc } from "@/lib/format/client-safe/utc";
import { ALERT_KINDS } from "@/lib/alerts/alert-events";
import { statusPageData } from "@/lib/monitor/status-page-data";
import { MonitoringForm, PauseAlerts, RunChecksNow, SendTestEvent } from "@/app/settings/status/status-controls";
import styles from "@/app/settings/status/status.module.css";

export const metadata: Metadata = { title: "Status" };

const percent = (v: number | null) => (v === null ? "no checks" : `${(Math.floor(v * 1000) / 10).toFixed(1)} %`);
const kindLabel = (kind: string) => (ALERT_KINDS as Record<string, string>)[kind] ?? kind;

export default async function StatusPage() {
  await requireAdminPage("/settings/status");
  const { mailboxes, monitor, alerts } = await statusPageData();
  return (
    <>
      <h1>Status</h1>
      <p className="lead">
        The health monitor checks every configured mailbox every {monitor.intervalMinutes} minutes (one instance at a
        time): the Microsoft token (refreshed when due, which keeps an idle sign-in alive), then a sign-in to the mail
        server. It alerts the administrators once when a mailbox starts failing, once when it recovers, and once a day
        while it stays down.
      </p>

      <section className="panel" aria-labelledby="status-now">
        <h2 id="status-now">Mailboxes</h2>
        {mailboxes.length === 0 ? (
          <p className="hint">
            No mailbox to watch yet: configure it (and authorize it with Microsoft) on{" "}
            <Link href="/settings/email">Email Settings</Link>.
          </p>
        ) : null}
        {mailboxes.map((m) => (
          <article
            key={m.role}
            className="spaced"
            data-testid={`status-${m.role}`}
            aria-labelledby={`status-${m.role}-title`}
          >
            <h3 id={`status-${m.role}-title`} className="flush-top">
              {m.title}: {m.mailbox}
            </h3>
            <p data-testid={`status-${m.role}-state`}>
              {m.state === "ok" ? (
                <span className="status-ok">Working</span>
              ) : m.state === "failing" ? (
                <span className={styles.failing}>Failing</span>
              ) : (
                <span className={styles.state}>Not checked yet</span>
              )}
              {m.since && m.state !== "unchecked" ? ` since ${formatUtc(m.since)}` : ""}
              {m.lastCheckAt ? `; last check ${formatUtc(m.lastCheckAt)}` : ""}
              {m.alertsPaused ? "; alerts paused" : ""}
            </p>
            {m.state === "failing" && m.lastSummary ? <p className="hint">{m.lastSummary}</p> : null}
            <p className="hint">Checks: {m.probe}.</p>
            <ul className={styles.uptime} aria-label={`Uptime of ${m.mailbox}`}>
              {m.uptime.map((u) => (
                <li key={u.label}>
                  Uptime {u.label}: <strong>{percent(u.value)}</strong>
                </li>
              ))}
            </ul>
            {m.state === "unchecked" ? null : <PauseAlerts role={m.role} paused={m.alertsPaused} label={m.title} />}
            <h4>Failures (last 30 days)</h4>
            {m.incidents.length === 0 ? (
              <p className="hint">None.</p>
            ) : (
              <table className="audit" data-testid={`status-${m.role}-failures`}>
                <caption className="visually-hidden">Failures of {m.mailbox}</caption>
                <thead>
                  <tr>
                    <th scope="col">From (UTC)</th>
                    <th scope="col">Until</th>
                    <th scope="col">Diagnosis</th>
                  </tr>
                </thead>
                <tbody>
                  {m.incidents.map((i) => (
                    <tr key={i.start.toISOString()}>
                      <td data-label="From">{formatUtc(i.start)}</td>
                      <td data-label="Until">{i.end ? formatUtc(i.end) : "still failing"}</td>
                      <td data-label="Diagnosis">
                        {i.summary}
                        {i.hint ? <div className="hint">{i.hint}</div> : null}
                        <div className="hint">
                          {i.checks} failed check{i.checks === 1 ? "" : "s"}
                        </div>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </article>
        ))}
        <div className="spaced">
          <RunChecksNow />
        </div>
      </section>

      <section className="panel" aria-labelledby="status-blind-spots">
        <h2 id="status-blind-spots">What a check cannot see</h2>
        <p className="hint">
          A check sends nothing: it stops after AUTH, before MAIL FROM and DATA. What Microsoft decides only when a
          message is submitted — a lost Send As permission on a shared mailbox, a sending limit, a recipient refused —
          shows only in <Link href="/settings/email">Test Email Configuration</Link> (it sends a real message) or in the{" "}
          <Link href="/settings/relay">relay</Link>&apos;s replies.
        </p>
      </section>

      <section className="panel" aria-labelledby="status-monitoring">
        <h2 id="status-monitoring">Monitoring and alerts</h2>
        <p className="hint">
          Alerts go by email to every administrator (through the SMTP settings, when they work) and, optionally, to a
          webhook.
        </p>
        <MonitoringForm
          initial={{
            intervalMinutes: monitor.intervalMinutes,
            webhookUrl: monitor.webhookUrl ?? "",
            webhookSecret: "",
            version: monitor.version,
          }}
          secretSet={monitor.webhookSecretSet}
        />
        <SendTestEvent configured={Boolean(monitor.webhookUrl && monitor.webhookSecretSet)} />
      </section>

      <section className="panel" aria-labelledby="status-alerts">
        <h2 id="status-alerts">Recent alerts</h2>
        {alerts.length === 0 ? (
          <p className="hint">No alert yet.</p>
        ) : (
          <table className="audit" data-testid="status-alerts">
            <caption className="visually-hidden">Recent alerts and their deliveries</caption>
            <thead>
              <tr>
                <th scope="col">When (UTC)</th>
                <th scope="col">Event</th>
                <th scope="col">Deliveries</th>
              </tr>
            </thead>
            <tbody>
              {alerts.map((a) => (
                <tr key={a.id}>
                  <td data-label="When">{formatUtc(a.createdAt)}</td>
                  <td data-label="Event">
                    {kindLabel(a.kind)}: {a.target}
                    <div className="hint">{a.summary}</div>
                  </td>
                  <td data-label="Deliveries">
                    {a.deliveries.length === 0
                      ? "None"
                      : a.deliveries.map((d) => (
                          <div key={d.id}>
                            {d.channel}: {d.detail}
                            {d.attempts > 1 ? ` (${d.attempts} attempts)` : ""}
                          </div>
                        ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
