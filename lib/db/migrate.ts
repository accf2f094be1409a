import { createHash, randomUUID } from "node:crypto";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { databaseKind, sqliteFile } from "@/lib/db/database-url";
import { restrictSqliteFiles } from "@/lib/db/sqlite-file-modes";

/**
 * Applies pending migrations from prisma/migrations, keeping Prisma's own `_prisma_migrations`
 * bookkeeping (checksum = sha256 of migration.sql) so that `prisma migrate deploy` and `status`
 * agree with what this runner did. Prisma's CLI cannot run here: its schema engine is a download.
 */
export type MigrationResult = { applied: string[]; total: number };

const SQLITE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" TEXT PRIMARY KEY NOT NULL, "checksum" TEXT NOT NULL, "finished_at" DATETIME,
  "migration_name" TEXT NOT NULL, "logs" TEXT, "rolled_back_at" DATETIME,
  "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
  "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0)`;

// What Prisma's engine creates on PostgreSQL (see prisma-offline.md).
const POSTGRES_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`;

// The session advisory lock Prisma's own `migrate deploy` takes on PostgreSQL: our runner and
// Prisma's exclude each other as well as instances of this app starting together.
const MIGRATION_LOCK_KEY = "72707369";

type Migration = { name: string; sql: string; checksum: string };

export function migrationsDir(kind: "sqlite" | "postgresql"): string {
  return path.resolve(
    /*turbopackIgnore: true*/ process.cwd(),
    kind === "sqlite" ? "prisma/migrations" : "prisma/postgres/migrations",
  );
}

export function readMigrations(dir: string): Migration[] {
  if (!existsSync(dir)) throw new Error(`No migrations folder at ${dir}`);
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(path.join(dir, e.name, "migration.sql")))
    .map((e) => e.name)
    .sort()
    .map((name) => {
      const bytes = readFileSync(path.join(dir, name, "migration.sql"));
      return { name, sql: bytes.toString("utf8"), checksum: createHash("sha256").update(bytes).digest("hex") };
    });
}

type Row = { migration_name: string; checksum: string; finished_at: string | null; rolled_back_at: string | null };

export function pendingMigrations(all: Migration[], rows: Row[]): Migration[] {
  const failed = rows.find((r) => !r.finished_at && !r.rolled_back_at);
  if (failed) {
    throw new Error(
      `Migration ${failed.migration_name} failed earlier and was not resolved; fix the database, then mark it rolled back.`,
    );
  }
  const done = new Map(rows.filter((r) => r.finished_at).map((r) => [r.migration_name, r.checksum]));
  for (const m of all) {
    const checksum = done.get(m.name);
    if (checksum && checksum !== m.checksum) {
      throw new Error(
        `Migration ${m.name} was changed after it was applied (checksum differs); add a new migration instead.`,
      );
    }
  }
  return all.filter((m) => !done.has(m.name));
}

function migrateSqlite(url: string, dir: string): MigrationResult {
  const file = sqliteFile(url);
  restrictSqliteFiles(file); // 0600 database, WAL and SHM files, whatever the mode of DATA_DIR
  const db = new Database(file);
  try {
    db.pragma("busy_timeout = 10000");
    db.pragma("journal_mode = WAL");
    db.exec(SQLITE_TABLE);
    const all = readMigrations(dir);
    // One writer at a time: two processes starting together apply each migration once.
    db.exec("BEGIN IMMEDIATE");
    try {
      const rows = db
        .prepare(`SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`)
        .all() as Row[];
      const pending = pendingMigrations(all, rows);
      for (const m of pending) {
        const id = randomUUID();
        db.prepare(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at) VALUES (?, ?, ?, ?)`,
        ).run(id, m.checksum, m.name, new Date().toISOString());
        try {
          db.exec(m.sql);
        } catch (error) {
          // SQLite runs DDL inside the transaction: rolling back leaves no half-applied migration.
          throw new Error(`Migration ${m.name} failed and was rolled back: ${(error as Error).message}`);
        }
        db.prepare(`UPDATE "_prisma_migrations" SET finished_at = ?, applied_steps_count = 1 WHERE id = ?`).run(
          new Date().toISOString(),
          id,
        );
      }
      db.exec("COMMIT");
      return { applied: pending.map((m) => m.name), total: all.length };
    } catch (error) {
      if (db.inTransaction) db.exec("ROLLBACK");
      throw error;
    }
  } finally {
    db.close();
  }
}

/**
 * PostgreSQL: instances starting together serialise on a session-level advisory lock, so each
 * migration is applied once; each migration runs in its own transaction (PostgreSQL's DDL is
 * transactional) together with its `_prisma_migrations` row, so a failure leaves neither half a
 * migration nor a row behind — the error is reported and the next start retries.
 */
async function migratePostgres(url: string, dir: string): Promise<MigrationResult> {
  const { default: pg } = await import("pg"); // loaded only for PostgreSQL
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    const all = readMigrations(dir);
    await client.query("SELECT pg_advisory_lock($1::bigint)", [MIGRATION_LOCK_KEY]);
    try {
      await client.query(POSTGRES_TABLE);
      const { rows } = await client.query<Row>(
        `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`,
      );
      const pending = pendingMigrations(all, rows);
      for (const m of pending) {
        await client.query("BEGIN");
        try {
          const id = randomUUID();
          await client.query(
            `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at) VALUES ($1, $2, $3, now())`,
            [id, m.checksum, m.name],
          );
          await client.query(m.sql); // simple query protocol: several statements in one call
          await client.query(
            `UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`,
            [id],
          );
          await client.query("COMMIT");
        } catch (error) {
          await client.query("ROLLBACK").catch(() => undefined);
          throw new Error(`Migration ${m.name} failed and was rolled back: ${(error as Error).message}`);
        }
      }
      return { applied: pending.map((m) => m.name), total: all.length };
    } finally {
      await client.query("SELECT pg_advisory_unlock($1::bigint)", [MIGRATION_LOCK_KEY]).catch(() => undefined);
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function applyMigrations(url: string): Promise<MigrationResult> {
  const kind = databaseKind(url);
  if (kind === "sqlite") return migrateSqlite(url, migrationsDir(kind));
  return migratePostgres(url, migrationsDir(kind));
}
