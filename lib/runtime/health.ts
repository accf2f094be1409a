import "server-only";
import { db } from "@/lib/db/client";
import { migrationsDir, readMigrations } from "@/lib/db/migrate";
import { databaseKind, databaseUrl } from "@/lib/db/database-url";

export type Health = {
  ok: boolean;
  database: "ok" | "unreachable";
  migrations: "current" | "pending" | "unknown";
  reason?: string;
};

export async function readHealth(): Promise<Health> {
  try {
    const rows = await db.$queryRawUnsafe<{ migration_name: string }[]>(
      `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const applied = new Set(rows.map((r) => r.migration_name));
    const pending = readMigrations(migrationsDir(databaseKind(databaseUrl()))).filter((m) => !applied.has(m.name));
    if (pending.length) {
      return {
        ok: false,
        database: "ok",
        migrations: "pending",
        reason: `${pending.length} database migration(s) not applied`,
      };
    }
    return { ok: true, database: "ok", migrations: "current" };
  } catch {
    return { ok: false, database: "unreachable", migrations: "unknown", reason: "database unavailable" };
  }
}
