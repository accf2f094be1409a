import { adminRoute } from "@/lib/auth/guard";
import { auditFilterSchema } from "@/lib/audit/audit-filter";
import { exportAudit } from "@/lib/audit/audit-log";
import { toCsv } from "@/lib/audit/csv";
import { describeEvent } from "@/lib/audit/describe";
import type { SettingChange } from "@/lib/audit/setting-changes";

/** The audit trail (with the page's filter) as CSV; cells a spreadsheet would run as formulas are escaped. */
export const GET = adminRoute("exportAudit", auditFilterSchema, async (filter) => {
  const events = await exportAudit(filter);
  const rows = events.map((e) => {
    const d = describeEvent(e.action, e.target, e.details);
    return [
      e.createdAt.toISOString(),
      e.actorEmail ?? "system",
      d.title,
      e.action,
      e.target ?? "",
      d.details.join("; "),
    ];
  });
  const body = toCsv([["When (UTC)", "Who", "What", "Event", "Target", "Details"], ...rows]);
  const stamp = new Date().toISOString().slice(0, 10);
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="mail-connect-audit-${stamp}.csv"`,
      "cache-control": "no-store",
    },
  });
});
