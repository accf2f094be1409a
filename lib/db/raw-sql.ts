import "server-only";
import { databaseKind, databaseUrl } from "@/lib/db/database-url";

/** An identifier quoted the way SQLite and PostgreSQL both read it. */
export const quoteName = (name: string) => `"${name.replace(/"/g, "")}"`;

/** The n-th (1-based) parameter placeholder of the database in use: `$n` on PostgreSQL, `?` on SQLite. */
export function placeholders(): (n: number) => string {
  return databaseKind(databaseUrl()) === "postgresql" ? (n) => `$${n}` : () => "?";
}

/** `(?, ?), (?, ?)` — or `($1, $2), ($3, $4)` on PostgreSQL — for a multi-row INSERT of `rows` rows of `width` values. */
export function valueRows(rows: number, width: number): string {
  const p = placeholders();
  return Array.from(
    { length: rows },
    (_, r) => `(${Array.from({ length: width }, (_, c) => p(r * width + c + 1)).join(", ")})`,
  ).join(", ");
}
