import "server-only";
import { db } from "@/lib/db/client";

export type Actor = { id: string; email: string };

export type AuditEntry = {
  action: string;
  target?: string;
  /** Names of changed fields and other non-secret facts; never secret values. */
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

export async function listAudit(limit = 200) {
  const rows = await db.auditEvent.findMany({ orderBy: { createdAt: "desc" }, take: limit });
  return rows.map((r) => ({ ...r, details: r.details ? (JSON.parse(r.details) as Record<string, unknown>) : null }));
}
