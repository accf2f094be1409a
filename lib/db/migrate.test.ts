import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { pendingMigrations, readMigrations } from "@/lib/db/migrate";

const migration = (name: string, sql = `-- ${name}`) => ({
  name,
  sql,
  checksum: createHash("sha256").update(sql).digest("hex"),
});
const row = (m: { name: string; checksum: string }, state: { finished?: boolean; rolledBack?: boolean } = {}) => ({
  migration_name: m.name,
  checksum: m.checksum,
  finished_at: state.finished === false ? null : "2026-01-01T00:00:00.000Z",
  rolled_back_at: state.rolledBack ? "2026-01-01T00:00:01.000Z" : null,
});

const first = migration("20260101000000_init");
const second = migration("20260201000000_add_audit");
const third = migration("20260301000000_add_lease");

describe("pendingMigrations", () => {
  it("returns every migration, in order, for an empty database", () => {
    expect(pendingMigrations([first, second, third], []).map((m) => m.name)).toEqual([
      first.name,
      second.name,
      third.name,
    ]);
  });

  it("leaves out the applied ones and keeps the order of the rest", () => {
    expect(pendingMigrations([first, second, third], [row(first), row(third)]).map((m) => m.name)).toEqual([
      second.name,
    ]);
  });

  it("returns nothing when the database is current", () => {
    expect(pendingMigrations([first, second], [row(first), row(second)])).toEqual([]);
  });

  it("applies again a migration whose failed attempt was marked rolled back", () => {
    const rows = [row(first), row(second, { finished: false, rolledBack: true })];
    expect(pendingMigrations([first, second], rows).map((m) => m.name)).toEqual([second.name]);
  });

  it("refuses to continue while a failed migration is unresolved", () => {
    expect(() => pendingMigrations([first, second], [row(first), row(second, { finished: false })])).toThrow(
      /20260201000000_add_audit failed earlier and was not resolved/,
    );
  });

  it("refuses a migration that was changed after it was applied", () => {
    const edited = migration(first.name, "-- edited");
    expect(() => pendingMigrations([edited, second], [row(first)])).toThrow(/changed after it was applied/);
  });
});

describe("readMigrations", () => {
  let dir = "";
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("reads the migration folders sorted by name, with Prisma's checksum of the raw SQL", () => {
    dir = mkdtempSync(path.join(tmpdir(), "migrate-test-"));
    for (const m of [second, first]) {
      mkdirSync(path.join(dir, m.name));
      writeFileSync(path.join(dir, m.name, "migration.sql"), m.sql);
    }
    mkdirSync(path.join(dir, "notes")); // no migration.sql: not a migration
    writeFileSync(path.join(dir, "migration_lock.toml"), 'provider = "sqlite"');
    expect(readMigrations(dir)).toEqual([first, second]);
  });

  it("says when the folder is missing", () => {
    dir = path.join(tmpdir(), "migrate-test-missing");
    expect(() => readMigrations(dir)).toThrow(/No migrations folder/);
  });
});
