import { chmodSync, mkdtempSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { restrictSqliteFiles } from "@/lib/db/sqlite-file-modes";

const modeOf = (file: string) => statSync(file).mode & 0o777;

describe("restrictSqliteFiles", () => {
  it("creates the database 0600 in a DATA_DIR that is world-readable, and SQLite's WAL/SHM follow", () => {
    const previous = process.umask(0o000);
    try {
      const dir = mkdtempSync(path.join(os.tmpdir(), "modes-"));
      chmodSync(dir, 0o777);
      const file = path.join(dir, "mail-connect.db");
      restrictSqliteFiles(file);
      const db = new Database(file);
      db.pragma("journal_mode = WAL");
      db.exec("CREATE TABLE t (x TEXT); INSERT INTO t VALUES ('a')");
      expect(modeOf(file)).toBe(0o600);
      expect(modeOf(`${file}-wal`)).toBe(0o600);
      expect(modeOf(`${file}-shm`)).toBe(0o600);
      db.close();
    } finally {
      process.umask(previous);
    }
  });

  it("narrows existing files that were created wider", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "modes-"));
    const file = path.join(dir, "mail-connect.db");
    for (const f of [file, `${file}-wal`, `${file}-shm`]) {
      writeFileSync(f, "");
      chmodSync(f, 0o644);
    }
    restrictSqliteFiles(file);
    for (const f of [file, `${file}-wal`, `${file}-shm`]) expect(modeOf(f)).toBe(0o600);
  });
});
