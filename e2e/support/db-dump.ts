import path from "node:path";
import Database from "better-sqlite3";
import { STACK } from "./stack-config";

/** Tables and columns that change by design while requests are answered: throttling and session activity. */
const VOLATILE: Record<string, "table" | string[]> = {
  rateLimit: "table",
  session: ["updatedAt", "expiresAt", "lastActiveAt"], // lastActiveAt: the idle timeout's activity, once a minute
};

/** Every row of every table of the stack's SQLite database (ordered), for a before/after comparison. */
export function dumpDatabase(): Record<string, string> {
  const db = new Database(path.join(STACK.appDataDir, "mail-connect.db"), { readonly: true, fileMustExist: true });
  try {
    db.pragma("busy_timeout = 5000");
    const tables = (
      db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).all() as {
        name: string;
      }[]
    ).map((t) => t.name);
    const out: Record<string, string> = {};
    for (const table of tables) {
      const volatile = VOLATILE[table];
      if (volatile === "table") continue;
      const rows = db.prepare(`SELECT * FROM "${table}" ORDER BY rowid`).all() as Record<string, unknown>[];
      out[table] = JSON.stringify(
        rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !(volatile ?? []).includes(k)))),
      );
    }
    return out;
  } finally {
    db.close();
  }
}
