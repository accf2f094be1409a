import "server-only";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/db/generated/sqlite/client";
import { PrismaClient as PostgresPrismaClient } from "@/lib/db/generated/postgres/client";
import { databaseKind, databaseUrl, sqliteFile } from "@/lib/db/database-url";
import { restrictSqliteFiles } from "@/lib/db/sqlite-file-modes";

/**
 * The one client. Its type is the SQLite client's; with DATABASE_URL=postgresql://… it is the client
 * generated from prisma/postgres/schema.prisma (derived from the SQLite schema by
 * scripts/postgres-schema.mjs), whose model API is the same: lib/db/client-types-check.ts proves at
 * compile time that every model's rows are identical and every SQLite-typed input is accepted.
 */
export type Db = PrismaClient;

function createClient(): PrismaClient {
  const url = databaseUrl();
  if (databaseKind(url) === "sqlite") {
    restrictSqliteFiles(sqliteFile(url)); // also when the app opens a database nobody migrated yet
    return new PrismaClient({ adapter: new PrismaBetterSqlite3({ url }) });
  }
  // A pg Pool: a broken connection (PostgreSQL restarted or unreachable) is dropped and the next
  // query opens a new one, so the app recovers by itself; a connect attempt gives up after 5 s so a
  // request answers "database unavailable" instead of hanging.
  const adapter = new PrismaPg({
    connectionString: url,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    max: 10,
  });
  return new PostgresPrismaClient({ adapter }) as unknown as PrismaClient;
}

// One client per process (Next's dev server reloads modules; keep the instance on globalThis).
const globalForDb = globalThis as unknown as { mailConnectDb?: PrismaClient };

globalForDb.mailConnectDb ??= createClient();
export const db: PrismaClient = globalForDb.mailConnectDb;
