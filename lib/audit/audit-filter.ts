import { z } from "zod";

/** The audit trail's filter (event, admin, date range) and page, from the query string; bad values are dropped. */
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)));

export const auditFilterSchema = z.object({
  event: z
    .string()
    .max(80)
    .regex(/^[a-z._]*$/)
    .optional()
    .catch(undefined),
  admin: z.string().max(320).optional().catch(undefined),
  from: day.optional().catch(undefined),
  to: day.optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).optional().catch(undefined),
});

export type AuditFilter = z.output<typeof auditFilterSchema>;

export const AUDIT_PAGE_SIZE = 50;

/** The filter as a query string (for paging links and the CSV export), without empty values. */
export function filterQuery(f: AuditFilter, page?: number): string {
  const q = new URLSearchParams();
  if (f.event) q.set("event", f.event);
  if (f.admin) q.set("admin", f.admin);
  if (f.from) q.set("from", f.from);
  if (f.to) q.set("to", f.to);
  if (page && page > 1) q.set("page", String(page));
  const s = q.toString();
  return s ? `?${s}` : "";
}
