import { describe, expect, it } from "vitest";
import Database from "better-sqlite3";
import { applyMigrations, migrationsDir, readMigrations } from "@/lib/db/migrate";
import { databaseUrl, sqliteFile } from "@/lib/db/database-url";
import { exerciseEveryModel } from "./support/persistence-checks";

/**
 * Migrations applied to an empty SQLite file, then every model used through the generated client:
 * if schema.prisma and the migrations drift apart, a create or read below fails.
 */
describe("database: migrations + generated client", () => {
  it("applies all migrations to an empty database, records them like Prisma, and is idempotent", async () => {
    const url = databaseUrl();
    const first = await applyMigrations(url);
    expect(first.applied.length).toBe(readMigrations(migrationsDir("sqlite")).length);
    const again = await applyMigrations(url);
    expect(again.applied).toEqual([]);
    const sqlite = new Database(sqliteFile(url));
    const rows = sqlite
      .prepare(`SELECT migration_name, checksum, finished_at, applied_steps_count FROM _prisma_migrations`)
      .all() as {
      checksum: string;
      finished_at: string | null;
      applied_steps_count: number;
    }[];
    sqlite.close();
    expect(rows.length).toBe(first.total);
    for (const r of rows) {
      expect(r.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(r.finished_at).not.toBeNull();
      expect(r.applied_steps_count).toBe(1);
    }
  });

  it("uses every model and field through the generated client", async () => {
    await applyMigrations(databaseUrl());
    const { db } = await import("@/lib/db/client");
    await exerciseEveryModel(db);
  });
});
