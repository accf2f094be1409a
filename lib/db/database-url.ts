import path from "node:path";
import { dataPath } from "@/lib/runtime/data-dir";

export type DatabaseKind = "sqlite" | "postgresql";

/** DATABASE_URL when set; otherwise the SQLite file in DATA_DIR. */
export function databaseUrl(): string {
  return process.env.DATABASE_URL || `file:${dataPath("mail-connect.db")}`;
}

export function databaseKind(url: string): DatabaseKind {
  if (/^postgres(ql)?:\/\//i.test(url)) return "postgresql";
  if (url.startsWith("file:")) return "sqlite";
  throw new Error(
    `DATABASE_URL must start with file: (SQLite) or postgresql:// (PostgreSQL); got "${url.split(":")[0]}:…"`,
  );
}

/** The file behind a `file:` URL, resolved against the working directory. */
export function sqliteFile(url: string): string {
  const rest = url.slice("file:".length).replace(/^\/\/(?=\/)/, "");
  return path.resolve(/*turbopackIgnore: true*/ rest.split("?")[0]);
}
