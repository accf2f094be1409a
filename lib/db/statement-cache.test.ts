import Database from "better-sqlite3";
import { describe, expect, it, vi } from "vitest";
import { reusePreparedStatements } from "@/lib/db/statement-cache";

/** A connection set up as Prisma's adapter sets it up, with its `prepare` counted, then made reusing. */
function connection(size?: number) {
  const db = new Database(":memory:");
  db.defaultSafeIntegers(true);
  db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE)");
  const prepared = vi.spyOn(db, "prepare");
  reusePreparedStatements(db, size);
  return { db, prepared };
}

/** What the adapter does with `prepare(sql).bind(args)` for a query (performIO) and a write (executeIO). */
function query(db: Database.Database, sql: string, args: unknown[]) {
  const stmt = db.prepare(sql).bind(args);
  return { columns: stmt.columns().map((c) => c.name), rows: stmt.raw().all() };
}
const execute = (db: Database.Database, sql: string, args: unknown[]) => db.prepare(sql).bind(args).run().changes;

describe("reusePreparedStatements", () => {
  it("prepares each SQL text once and binds each call's own arguments", () => {
    const { db, prepared } = connection();
    const insert = "INSERT INTO t (id, name) VALUES (?, ?)";
    expect(execute(db, insert, [1, "a"])).toBe(1);
    expect(execute(db, insert, [2, "b"])).toBe(1);
    const select = "SELECT id, name FROM t WHERE id = ?";
    expect(query(db, select, [1])).toEqual({ columns: ["id", "name"], rows: [[1n, "a"]] });
    expect(query(db, select, [2])).toEqual({ columns: ["id", "name"], rows: [[2n, "b"]] });
    expect(query(db, "SELECT name FROM t ORDER BY id", [])).toEqual({ columns: ["name"], rows: [["a"], ["b"]] });
    expect(prepared).toHaveBeenCalledTimes(3);
  });

  it("reports a failing statement as before, and the statement stays usable", () => {
    const { db } = connection();
    const insert = "INSERT INTO t (id, name) VALUES (?, ?)";
    execute(db, insert, [1, "a"]);
    expect(() => execute(db, insert, [2, "a"])).toThrow(/UNIQUE constraint failed/);
    expect(execute(db, insert, [3, "c"])).toBe(1);
    expect(() => db.prepare("SELEC nothing")).toThrow(/syntax error/);
  });

  it("keeps a transaction's BEGIN/COMMIT working (prepare(sql).run())", () => {
    const { db } = connection();
    db.prepare("BEGIN").run();
    execute(db, "INSERT INTO t (id, name) VALUES (?, ?)", [1, "a"]);
    db.prepare("ROLLBACK").run();
    db.prepare("BEGIN").run();
    db.prepare("COMMIT").run();
    expect(query(db, "SELECT count(*) AS n FROM t", []).rows).toEqual([[0n]]);
  });

  it("keeps at most `size` statements, dropping the least recently used", () => {
    const { db, prepared } = connection(2);
    const a = "SELECT 1 AS a";
    const b = "SELECT 2 AS b";
    const c = "SELECT 3 AS c";
    query(db, a, []);
    query(db, b, []);
    query(db, a, []); // a is now the most recent
    query(db, c, []); // drops b
    query(db, a, []);
    expect(prepared).toHaveBeenCalledTimes(3);
    query(db, b, []);
    expect(prepared).toHaveBeenCalledTimes(4);
  });
});
