import "server-only";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "@/lib/db/generated/sqlite/client";
import { databaseKind, databaseUrl } from "@/lib/db/database-url";

export type Db = PrismaClient;

function createClient(): PrismaClient {
  const url = databaseUrl();
  if (databaseKind(url) !== "sqlite") {
    throw new Error("PostgreSQL support is not built yet: leave DATABASE_URL unset or give a file: URL for SQLite.");
  }
  return new PrismaClient({ adapter: new PrismaBetterSqlite3({ url }) });
}

// One client per process (Next's dev server reloads modules; keep the instance on globalThis).
const globalForDb = globalThis as unknown as { mailConnectDb?: PrismaClient };

export const db: PrismaClient = globalForDb.mailConnectDb ?? (globalForDb.mailConnectDb = createClient());
