import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { applyMigrations, migrationsDir, readMigrations } from "@/lib/db/migrate";
import { databaseKind } from "@/lib/db/database-url";
import { exerciseEveryModel } from "./support/persistence-checks";
import { startTestPostgres, type TestPostgres } from "./support/postgres";

/**
 * The persistence tests on a real PostgreSQL 15 (a throwaway cluster): the PostgreSQL migrations
 * (derived from the SQLite ones) applied by our runner, Prisma-compatible bookkeeping, the advisory
 * lock when several instances start at once, and every model through the PostgreSQL client.
 */
let server: TestPostgres;

beforeAll(async () => {
  server = await startTestPostgres();
}, 60_000);
afterAll(async () => {
  await server?.destroy();
});

describe("PostgreSQL: migrations + generated client", () => {
  it("applies all migrations once even when four instances start together, recorded like Prisma", async () => {
    const url = await server.createDatabase("migrations");
    expect(databaseKind(url)).toBe("postgresql");
    const results = await Promise.all([1, 2, 3, 4].map(() => applyMigrations(url)));
    const total = readMigrations(migrationsDir("postgresql")).length;
    expect(total).toBe(readMigrations(migrationsDir("sqlite")).length);
    expect(results.map((r) => r.applied.length).sort()).toEqual([0, 0, 0, total]);
    expect((await applyMigrations(url)).applied).toEqual([]);

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query(
        `SELECT migration_name, checksum, finished_at, applied_steps_count, rolled_back_at FROM "_prisma_migrations" ORDER BY migration_name`,
      );
      expect(rows.map((r) => r.migration_name)).toEqual(readMigrations(migrationsDir("postgresql")).map((m) => m.name));
      for (const r of rows) {
        expect(r.checksum).toMatch(/^[0-9a-f]{64}$/);
        expect(r.finished_at).toBeInstanceOf(Date);
        expect(r.applied_steps_count).toBe(1);
        expect(r.rolled_back_at).toBeNull();
      }
      const types = await client.query(
        `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY column_name`,
      );
      expect(Object.fromEntries(types.rows.map((r) => [r.column_name, r.data_type]))).toMatchObject({
        id: "character varying",
        checksum: "character varying",
        finished_at: "timestamp with time zone",
        started_at: "timestamp with time zone",
      });
    } finally {
      await client.end();
    }
  });

  it("rolls back a failing migration completely (no table, no bookkeeping row)", async () => {
    const url = await server.createDatabase("failing");
    const { mkdtempSync, mkdirSync, rmSync, writeFileSync } = await import("node:fs");
    const os = await import("node:os");
    const path = await import("node:path");
    // migrationsDir resolves against the working directory: run from a folder holding only a broken one.
    const dir = mkdtempSync(path.join(os.tmpdir(), "mc-pg-mig-"));
    const broken = path.join(dir, "prisma", "postgres", "migrations", "20990101000000_broken");
    mkdirSync(broken, { recursive: true });
    writeFileSync(
      path.join(broken, "migration.sql"),
      `CREATE TABLE "half" ("id" TEXT);\nSELECT * FROM "no_such_table";\n`,
    );
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      await expect(applyMigrations(url)).rejects.toThrow(/20990101000000_broken failed and was rolled back/);
    } finally {
      process.chdir(cwd);
      rmSync(dir, { recursive: true, force: true });
    }
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      expect((await client.query(`SELECT to_regclass('public.half') AS t`)).rows[0].t).toBeNull();
      expect((await client.query(`SELECT count(*)::int AS n FROM "_prisma_migrations"`)).rows[0].n).toBe(0);
    } finally {
      await client.end();
    }
  });

  it("uses every model and field through the PostgreSQL client (lib/db/client with a postgresql:// URL); health reports pending migrations", async () => {
    const url = await server.createDatabase("models");
    await applyMigrations(url);
    process.env.DATABASE_URL = url;
    const { db } = await import("@/lib/db/client");
    expect((await db.$queryRawUnsafe<{ v: string }[]>("SELECT version() AS v"))[0]!.v).toMatch(/^PostgreSQL 15/);
    await exerciseEveryModel(db);

    // Readiness on PostgreSQL: current, then "pending" when a migration is missing from the database.
    const { readHealth } = await import("@/lib/runtime/health");
    expect(await readHealth()).toMatchObject({ ok: true, database: "ok", migrations: "current" });
    const last = readMigrations(migrationsDir("postgresql")).at(-1)!.name;
    await db.$executeRawUnsafe(
      `UPDATE "_prisma_migrations" SET migration_name = migration_name || '-x' WHERE migration_name = $1`,
      last,
    );
    expect(await readHealth()).toMatchObject({
      ok: false,
      database: "ok",
      migrations: "pending",
      reason: "1 database migration(s) not applied",
    });
    await db.$executeRawUnsafe(
      `UPDATE "_prisma_migrations" SET migration_name = $1 WHERE migration_name = $2`,
      last,
      `${last}-x`,
    );
  });

  it("serialises lease holders (token refreshes, keep-alive) under contention: never two at once, none fails", async () => {
    const { withLease } = await import("@/lib/microsoft/lease");
    let inside = 0;
    let most = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        withLease("oauth-refresh:contended", { ttlMs: 30_000, waitMs: 30_000 }, async () => {
          inside++;
          most = Math.max(most, inside);
          await new Promise((r) => setTimeout(r, 15));
          order.push(i);
          inside--;
        }),
      ),
    );
    expect(most).toBe(1);
    expect(order.sort((x, y) => x - y)).toEqual(Array.from({ length: 12 }, (_, i) => i));
    const { db } = await import("@/lib/db/client");
    expect(await db.lease.count({ where: { name: "oauth-refresh:contended" } })).toBe(0);
    await db.$disconnect();
  });
});
