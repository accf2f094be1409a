import "server-only";
import { db } from "@/lib/db/client";

/**
 * "The database is unavailable" — recognised from the error (connection refused / reset / terminated,
 * PostgreSQL shutting down, Prisma's "can't reach database") or, when the error does not say, by
 * pinging the database. Route handlers and actions then answer DATABASE_UNAVAILABLE (503 for routes)
 * instead of a generic failure; nothing was half-written: every multi-row write is one transaction,
 * and a failed connection commits nothing.
 */
export const DATABASE_UNAVAILABLE =
  "The database is unavailable, so nothing was changed. Try again when it is back (GET /api/health shows when it is).";

export class DatabaseUnavailableError extends Error {
  constructor() {
    super(DATABASE_UNAVAILABLE);
    this.name = "DatabaseUnavailableError";
  }
}

const CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
  "57P01",
  "57P02",
  "57P03",
  "08000",
  "08001",
  "08003",
  "08004",
  "08006", // PostgreSQL: shutdown, connection failures
  "P1001",
  "P1002",
  "P1017",
  "SQLITE_CANTOPEN",
]);
const MESSAGES =
  /Connection terminated|ECONNREFUSED|ECONNRESET|Can't reach database|timeout exceeded when trying to connect|the database system is (shutting down|starting up)|terminating connection|Client has encountered a connection error|DatabaseNotReachable|ConnectionClosed/i;

function looksUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 5) return false;
  if (error instanceof DatabaseUnavailableError) return true;
  const e = error as {
    code?: unknown;
    kind?: unknown;
    message?: unknown;
    cause?: unknown;
    meta?: { driverAdapterError?: unknown };
  };
  if (typeof e.code === "string" && CODES.has(e.code)) return true;
  if (typeof e.kind === "string" && /DatabaseNotReachable|ConnectionClosed|SocketTimeout/.test(e.kind)) return true;
  if (typeof e.message === "string" && MESSAGES.test(e.message)) return true;
  return looksUnavailable(e.cause, depth + 1) || looksUnavailable(e.meta?.driverAdapterError, depth + 1);
}

/** A quick `SELECT 1` (at most `timeoutMs`). */
export async function databaseReachable(timeoutMs = 3_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      db.$queryRawUnsafe("SELECT 1"),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error("timeout")), timeoutMs))),
    ]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

export async function isDatabaseUnavailable(error: unknown): Promise<boolean> {
  return looksUnavailable(error) || !(await databaseReachable());
}
