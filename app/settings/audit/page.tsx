import type { Metadata } from "next";
import { requireAdminPage } from "@/lib/auth/guard";
import { listAudit } from "@/lib/audit/audit-log";
import { formatUtc } from "@/lib/format/client-safe/utc";

export const metadata: Metadata = { title: "Audit trail" };

function describeDetails(details: Record<string, unknown> | null): string {
  if (!details) return "";
  return Object.entries(details)
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? (v.length ? v.join(", ") : "none") : String(v)}`)
    .join("; ");
}

export default async function AuditPage() {
  await requireAdminPage("/settings/audit");
  const events = await listAudit(200);
  return (
    <>
      <h1>Audit trail</h1>
      <p className="lead">Who changed what, and when (newest first; secret values are never recorded).</p>
      {events.length === 0 ? (
        <p>No events yet.</p>
      ) : (
        <table className="audit">
          <caption className="visually-hidden">Audit events</caption>
          <thead>
            <tr>
              <th scope="col">When (UTC)</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <tr key={e.id}>
                <td>{formatUtc(e.createdAt)}</td>
                <td>{e.actorEmail ?? "system"}</td>
                <td>
                  {e.action}
                  {e.target ? ` (${e.target})` : ""}
                </td>
                <td>{describeDetails(e.details)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
