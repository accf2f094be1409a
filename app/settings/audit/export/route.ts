import { adminRoute } from "@/lib/auth/guard";
import { auditFilterSchema } from "@/lib/audit/audit-filter";
import { exportAudit } from "@/lib/audit/audit-log";
import { toCsv } from "@/lib/audit/csv";
import { describeEvent } from "@/lib/audit/describe";
import type { SettingChange } from "@/lib/audit/setting-changes";

/** The audit trail (with the page's filter) as CSV; cells a spreadsheet would run as formulas are escaped. */
export const GET = adminRoute("exportAudit", auditFilterSchema, async (filter) => {
  const events = await exportAudit(filter);
  // One row per changed setting (its old and new value in cells of their own), else one row per event.
  const rows = events.flatMap((e) => {
    const d = describeEvent(e.action, e.target, e.details);
    const head = [e.createdAt.toISOString(), e.actorEmail ?? "system", d.title, e.action, e.target ?? ""];
    const changes = Object.entries((e.details?.values ?? {}) as Record<string, SettingChange>);
    const details = d.details.join("; ");
    return changes.length
      ? changes.map(([name, c]) => [...head, name, c.from, c.to, details])
      : [[...head, "", "", "", details]];
  });
  const body = toCsv([
    ["When (UTC)", "Who", "What", "Event", "Target", "Setting", "Old value", "New value", "Details"],
    ...rows,
  ]);
  const stamp = new Date().toISOString().slice(0, 10);
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="mail-connect-audit-${stamp}.csv"`,
      "cache-control": "no-store",
    },
  });
});
