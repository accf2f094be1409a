import type { Metadata } from "next";
import { requireAdminPage } from "@/lib/auth/guard";
import { queryAudit } from "@/lib/audit/audit-log";
import { auditFilterSchema, filterQuery } from "@/lib/audit/audit-filter";
import { describeEvent, EVENT_LABELS } from "@/lib/audit/describe";
import { formatUtc } from "@/lib/format/client-safe/utc";

export const metadata: Metadata = { title: "Audit trail" };

export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireAdminPage("/settings/audit");
  const raw = Object.fromEntries(
    Object.entries(await searchParams).map(([k, v]) => [k, (Array.isArray(v) ? v[0] : v) || undefined]),
  );
  const filter = auditFilterSchema.parse(raw);
  const { events, total, page, pages, actors } = await queryAudit(filter);
  const filtered = Boolean(filter.event || filter.admin || filter.from || filter.to);
  return (
    <>
      <h1>Audit trail</h1>
      <p className="lead">
        Who changed what, and when (newest first; secret values are never recorded). Events are never changed or
        deleted; the address and browser of a request are blanked after 90 days.
      </p>
      <form method="get" className="panel audit-filter" aria-label="Filter the audit trail">
        <div className="field">
          <label htmlFor="audit-event">Event</label>
          <select id="audit-event" name="event" defaultValue={filter.event ?? ""}>
            <option value="">All events</option>
            {Object.entries(EVENT_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="audit-admin">Administrator</label>
          <select id="audit-admin" name="admin" defaultValue={filter.admin ?? ""}>
            <option value="">Everyone</option>
            {actors.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="audit-from">From (UTC)</label>
          <input id="audit-from" type="date" name="from" defaultValue={filter.from ?? ""} />
        </div>
        <div className="field">
          <label htmlFor="audit-to">To (UTC)</label>
          <input id="audit-to" type="date" name="to" defaultValue={filter.to ?? ""} />
        </div>
        <div className="actions actions-flush audit-filter-actions">
          <button type="submit" className="btn btn-primary">
            Filter
          </button>
          {filtered ? (
            <a className="btn" href="/settings/audit">
              Clear
            </a>
          ) : null}
          <a className="btn" href={`/settings/audit/export${filterQuery(filter)}`} download>
            Export CSV
          </a>
        </div>
      </form>
      <p className="hint" data-testid="audit-count">
        {total === 0
          ? filtered
            ? "No events match the filter."
            : "No events yet."
          : `${total} ${total === 1 ? "event" : "events"}${pages > 1 ? `, page ${page} of ${pages}` : ""}`}
      </p>
      {events.length ? (
        <table className="audit" data-testid="audit-table">
          <caption className="visually-hidden">Audit events</caption>
          <thead>
            <tr>
              <th scope="col">When (UTC)</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => {
              const d = describeEvent(e.action, e.target, e.details);
              return (
                <tr key={e.id}>
                  <td data-label="When">{formatUtc(e.createdAt)}</td>
                  <td data-label="Who">{e.actorEmail ?? "system"}</td>
                  <td data-label="What">
                    <strong>{d.title}</strong>
                    {d.details.length ? (
                      <ul className="audit-details">
                        {d.details.map((line) => (
                          <li key={line}>{line}</li>
                        ))}
                      </ul>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
      {pages > 1 ? (
        <nav className="actions" aria-label="Audit pages">
          {page > 1 ? (
            <a className="btn" href={`/settings/audit${filterQuery(filter, page - 1)}`} rel="prev">
              Newer
            </a>
          ) : null}
          <span className="hint">
            Page {page} of {pages}
          </span>
          {page < pages ? (
            <a className="btn" href={`/settings/audit${filterQuery(filter, page + 1)}`} rel="next">
              Older
            </a>
          ) : null}
        </nav>
      ) : null}
    </>
  );
}
