/**
 * A throwaway PostgreSQL 15 cluster for tests: initdb in a temporary directory, `postgres` on a free
 * port of 127.0.0.1, run as the `postgres` system user (initdb refuses root), stopped by its PID.
 * No skipping: when PostgreSQL is not installed the test FAILS and says how to install it
 * (.ci/run does: Debian's `postgresql` package).
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll } from "vitest";

export const POSTGRES_BIN = process.env.POSTGRES_BIN || "/usr/lib/postgresql/15/bin";

export type TestPostgres = {
  port: number;
  /** postgresql:// URL of a database (created by createDatabase). */
  url: (database: string) => string;
  createDatabase: (name: string) => Promise<string>;
  /** Stops the server (fast shutdown) and waits for it to exit; the data stay. */
  stop: () => Promise<void>;
  /** Starts it again on the same port and data. */
  start: () => Promise<void>;
  /** Stops it and removes the cluster. */
  destroy: () => Promise<void>;
};

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

function postgresUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined; // not root: run as ourselves
  try {
    return {
      uid: Number(execFileSync("id", ["-u", "postgres"]).toString().trim()),
      gid: Number(execFileSync("id", ["-g", "postgres"]).toString().trim()),
    };
  } catch {
    throw new Error(
      "PostgreSQL tests: running as root but there is no `postgres` system user; install Debian's postgresql package (apt-get install -y postgresql).",
    );
  }
}

export async function startTestPostgres(): Promise<TestPostgres> {
  if (!existsSync(path.join(POSTGRES_BIN, "postgres"))) {
    throw new Error(
      `PostgreSQL 15 is required for these tests and was not found at ${POSTGRES_BIN}/postgres. ` +
        "Install it with `apt-get install -y postgresql` (.ci/run does this), or set POSTGRES_BIN.",
    );
  }
  const user = postgresUser();
  const dir = mkdtempSync(path.join(os.tmpdir(), "mc-pg-"));
  if (user) chownSync(dir, user.uid, user.gid);
  const dataDir = path.join(dir, "data");
  execFileSync(
    path.join(POSTGRES_BIN, "initdb"),
    ["-D", dataDir, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--no-sync"],
    {
      stdio: "pipe",
      ...(user ?? {}),
      cwd: dir,
    },
  );
  const port = await freePort();
  let child: ChildProcess | null = null;
  let log = "";

  const start = async () => {
    log = "";
    child = spawn(
      path.join(POSTGRES_BIN, "postgres"),
      [
        "-D",
        dataDir,
        "-p",
        String(port),
        "-k",
        dir,
        "-c",
        "listen_addresses=127.0.0.1",
        "-c",
        "fsync=off",
        "-c",
        "max_connections=200",
      ],
      { stdio: ["ignore", "pipe", "pipe"], ...(user ?? {}), cwd: dir },
    );
    child.stdout!.on("data", (c: Buffer) => (log += c.toString()));
    child.stderr!.on("data", (c: Buffer) => (log += c.toString()));
    const deadline = Date.now() + 20_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`postgres exited with ${child.exitCode}:\n${log}`);
      const probe = new pg.Client({ host: "127.0.0.1", port, user: "postgres", database: "postgres" });
      try {
        await probe.connect();
        await probe.end();
        return;
      } catch {
        await probe.end().catch(() => undefined);
        if (Date.now() > deadline) throw new Error(`postgres did not accept connections within 20 s:\n${log}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  };

  const stop = async () => {
    const c = child;
    if (!c || c.exitCode !== null || c.pid === undefined) return;
    const exited = new Promise<void>((r) => c.once("exit", () => r()));
    process.kill(c.pid, "SIGINT"); // fast shutdown: ends sessions, rolls back open transactions
    await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
    if (c.exitCode === null && c.signalCode === null) {
      process.kill(c.pid, "SIGKILL");
      await exited;
    }
  };

  await start();
  const url = (database: string) => `postgresql://postgres@127.0.0.1:${port}/${database}`;
  return {
    port,
    url,
    createDatabase: async (name) => {
      const admin = new pg.Client({ connectionString: url("postgres") });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE "${name.replace(/"/g, "")}"`);
      } finally {
        await admin.end();
      }
      return url(name);
    },
    stop,
    start,
    destroy: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * For a test file that runs against one PostgreSQL database: a cluster starts before its tests, with
 * DATABASE_URL pointing at `database`, and is removed after them.
 */
export function usePostgresDatabase(database: string): void {
  let server: TestPostgres | undefined;
  beforeAll(async () => {
    server = await startTestPostgres();
    process.env.DATABASE_URL = await server.createDatabase(database);
  }, 60_000);
  afterAll(async () => {
    await server?.destroy();
  });
}
