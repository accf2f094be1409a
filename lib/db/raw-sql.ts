import "server-only";
import { databaseKind, databaseUrl } from "@/lib/db/database-url";

/** An identifier quoted the way SQLite and PostgreSQL both read it. */
export const quoteName = (name: string) => `"${name.replace(/"/g, "")}"`;

/** The n-th (1-based) parameter placeholder of the database in use: `$n` on PostgreSQL, `?` on SQLite. */
export function placeholders(): (n: number) => string {
  return databaseKind(databaseUrl()) === "postgresql" ? (n) => `$${n}` : () => "?";
}
