import "server-only";
import { db } from "@/lib/db/client";
import { AUDIT_PAGE_SIZE, type AuditFilter } from "@/lib/audit/audit-filter";

export type Actor = { id: string; email: string };

export type AuditEntry = {
  action: string;
  target?: string;
  /** Names of changed fields, old → new values of non-secret ones, other non-secret facts; never secret values. */
  details?: Record<string, unknown>;
};

export async function recordAudit(actor: Actor | null, entry: AuditEntry): Promise<void> {
  await db.auditEvent.create({
    data: {
      actorId: actor?.id ?? null,
      actorEmail: actor?.email ?? null,
      action: entry.action,
      target: entry.target ?? null,
      details: entry.details ? JSON.stringify(entry.details) : null,
    },
  });
}

function where(f: AuditFilter) {
  const createdAt: { gte?: Date; lt?: Date } = {};
  if (f.from) createdAt.gte = new Date(`${f.from}T00:00:00Z`);
  if (f.to) createdAt.lt = new Date(Date.parse(`${f.to}T00:00:00Z`) + 86_400_000);
  return {
    ...(f.event ? { action: f.event } : {}),
    ...(f.admin === "system" ? { actorEmail: null } : f.admin ? { actorEmail: f.admin } : {}),
    ...(f.from || f.to ? { createdAt } : {}),
  };
}

function parsed<T extends { details: string | null }>(rows: T[]) {
  return rows.map((r) => ({ ...r, details: r.details ? (JSON.parse(r.details) as Record<string, unknown>) : null }));
}

/** One page of events matching the filter (newest first), the total, and who appears in the trail. */
export async function queryAudit(f: AuditFilter) {
  const page = f.page ?? 1;
  const [rows, total, actors] = await Promise.all([
    db.auditEvent.findMany({
      where: where(f),
      orderBy: { createdAt: "desc" },
      skip: (page - 1) * AUDIT_PAGE_SIZE,
      take: AUDIT_PAGE_SIZE,
    }),
    db.auditEvent.count({ where: where(f) }),
    db.auditEvent.findMany({ distinct: ["actorEmail"], select: { actorEmail: true } }),
  ]);
  return {
    events: parsed(rows),
    total,
    page,
    pages: Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE)),
    actors: actors.map((a) => a.actorEmail ?? "system").sort(),
  };
}

/** Every event matching the filter, newest first (the CSV export; capped). */
export async function exportAudit(f: AuditFilter, cap = 50_000) {
  return parsed(await db.auditEvent.findMany({ where: where(f), orderBy: { createdAt: "desc" }, take: cap }));
}
