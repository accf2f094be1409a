import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from "node:fs";
import path from "node:path";

const OWNER_ONLY = 0o600;
const COMPANIONS = ["", "-wal", "-shm", "-journal"];

/**
 * The SQLite database holds encrypted secrets and the admin sessions: its file and its WAL/SHM/journal
 * companions are readable by this user only (0600), whatever the umask or the mode of an existing
 * DATA_DIR. The database file is created empty with that mode before SQLite opens it (SQLite then gives
 * the WAL, SHM and journal files the database file's mode); existing files are narrowed.
 */
export function restrictSqliteFiles(file: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  if (!existsSync(/*turbopackIgnore: true*/ file)) closeSync(openSync(/*turbopackIgnore: true*/ file, "a", OWNER_ONLY));
  for (const suffix of COMPANIONS) {
    const companion = `${file}${suffix}`;
    if (existsSync(/*turbopackIgnore: true*/ companion)) chmodSync(/*turbopackIgnore: true*/ companion, OWNER_ONLY);
  }
}
