import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import type BetterSqlite3 from "better-sqlite3";

/**
 * Prisma's SQLite adapter prepares every statement anew (`client.prepare(sql).bind(args)`), which for
 * Prisma's long column lists costs about as much as running the query. This factory keeps the
 * prepared statements of the adapter's one connection, keyed by their SQL (bounded, least recently
 * used first out), and hands the adapter a statement whose `bind(args)` answers the calls it makes
 * (`reader`, `columns()`, `raw().all()`, `run()`) with those arguments. Results are the same: the
 * statement belongs to the same connection with the same settings (safe integers), SQLite re-prepares
 * it by itself after a schema change, and every call runs to completion synchronously, so no two
 * queries share a statement at the same time. Should the adapter stop exposing its connection the
 * factory leaves it as it is.
 */
export const STATEMENT_CACHE_SIZE = 200;

type Statement = BetterSqlite3.Statement<unknown[]>;
type Connection = Pick<BetterSqlite3.Database, "prepare">;

/** What the adapter uses of `prepare(sql)`: the statement itself, bound to arguments once. */
function reusable(statement: Statement) {
  return {
    reader: statement.reader,
    run: (...args: unknown[]) => statement.run(...args),
    bind: (args: unknown[]) => ({
      reader: statement.reader,
      columns: () => statement.columns(),
      raw: () => ({ all: () => statement.raw(true).all(args) }),
      run: () => statement.run(args),
    }),
  };
}

/** Replaces `connection.prepare` with one that reuses statements (exported for the tests). */
export function reusePreparedStatements(connection: Connection, size = STATEMENT_CACHE_SIZE): void {
  const prepare = connection.prepare.bind(connection) as (sql: string) => Statement;
  const statements = new Map<string, Statement>();
  (connection as { prepare: unknown }).prepare = (sql: string) => {
    let statement = statements.get(sql);
    if (statement) {
      statements.delete(sql); // most recently used goes last
    } else {
      statement = prepare(sql);
      if (statements.size >= size) statements.delete(statements.keys().next().value as string);
    }
    statements.set(sql, statement);
    return reusable(statement);
  };
}

/** Prisma's better-sqlite3 adapter factory, with prepared statements reused. */
export class PrismaBetterSqlite3ReusingStatements extends PrismaBetterSqlite3 {
  override async connect() {
    const adapter = await super.connect();
    const connection = (adapter as unknown as { client?: Connection }).client;
    if (typeof connection?.prepare === "function") reusePreparedStatements(connection);
    return adapter;
  }
}
