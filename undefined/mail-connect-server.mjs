// scripts/server.ts
import https from "node:https";
import path7 from "node:path";
import next from "next";

// lib/db/migrate.ts
import { createHash, randomUUID } from "node:crypto";
import { readdirSync, readFileSync, existsSync as existsSync2 } from "node:fs";
import path4 from "node:path";
import Database from "better-sqlite3";

// lib/db/database-url.ts
import path2 from "node:path";

// lib/runtime/data-dir.ts
import { mkdirSync } from "node:fs";
import path from "node:path";
function dataDir() {
  const dir = path.resolve(
    /*turbopackIgnore: true*/
    process.env.DATA_DIR || "data",
  );
  mkdirSync(dir, { recursive: true, mode: 448 });
  return dir;
}
function dataPath(...parts) {
  return path.join(
    /*turbopackIgnore: true*/
    dataDir(),
    ...parts,
  );
}

// lib/db/database-url.ts
function databaseUrl() {
  return process.env.DATABASE_URL || `file:${dataPath("mail-connect.db")}`;
}
function databaseKind(url) {
  if (/^postgres(ql)?:\/\//i.test(url)) return "postgresql";
  if (url.startsWith("file:")) return "sqlite";
  throw new Error(
    `DATABASE_URL must start with file: (SQLite) or postgresql:// (PostgreSQL); got "${url.split(":")[0]}:\u2026"`,
  );
}
function sqliteFile(url) {
  const rest = url.slice("file:".length).replace(/^\/\/(?=\/)/, "");
  return path2.resolve(
    /*turbopackIgnore: true*/
    rest.split("?")[0],
  );
}

// lib/db/sqlite-file-modes.ts
import { chmodSync, closeSync, existsSync, mkdirSync as mkdirSync2, openSync } from "node:fs";
import path3 from "node:path";
var OWNER_ONLY = 384;
var COMPANIONS = ["", "-wal", "-shm", "-journal"];
function restrictSqliteFiles(file) {
  mkdirSync2(path3.dirname(file), { recursive: true });
  if (
    !existsSync(
      /*turbopackIgnore: true*/
      file,
    )
  )
    closeSync(
      openSync(
        /*turbopackIgnore: true*/
        file,
        "a",
        OWNER_ONLY,
      ),
    );
  for (const suffix of COMPANIONS) {
    const companion = `${file}${suffix}`;
    if (
      existsSync(
        /*turbopackIgnore: true*/
        companion,
      )
    )
      chmodSync(
        /*turbopackIgnore: true*/
        companion,
        OWNER_ONLY,
      );
  }
}

// lib/db/migrate.ts
var SQLITE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" TEXT PRIMARY KEY NOT NULL, "checksum" TEXT NOT NULL, "finished_at" DATETIME,
  "migration_name" TEXT NOT NULL, "logs" TEXT, "rolled_back_at" DATETIME,
  "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
  "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0)`;
var POSTGRES_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`;
var MIGRATION_LOCK_KEY = "72707369";
function migrationsDir(kind) {
  return path4.resolve(
    /*turbopackIgnore: true*/
    process.cwd(),
    kind === "sqlite" ? "prisma/migrations" : "prisma/postgres/migrations",
  );
}
function readMigrations(dir) {
  if (!existsSync2(dir)) throw new Error(`No migrations folder at ${dir}`);
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync2(path4.join(dir, e.name, "migration.sql")))
    .map((e) => e.name)
    .sort()
    .map((name) => {
      const bytes = readFileSync(path4.join(dir, name, "migration.sql"));
      return { name, sql: bytes.toString("utf8"), checksum: createHash("sha256").update(bytes).digest("hex") };
    });
}
function pendingMigrations(all, rows) {
  const failed = rows.find((r) => !r.finished_at && !r.rolled_back_at);
  if (failed) {
    throw new Error(
      `Migration ${failed.migration_name} failed earlier and was not resolved; fix the database, then mark it rolled back.`,
    );
  }
  const done = new Map(rows.filter((r) => r.finished_at).map((r) => [r.migration_name, r.checksum]));
  for (const m of all) {
    const checksum = done.get(m.name);
    if (checksum && checksum !== m.checksum) {
      throw new Error(
        `Migration ${m.name} was changed after it was applied (checksum differs); add a new migration instead.`,
      );
    }
  }
  return all.filter((m) => !done.has(m.name));
}
function migrateSqlite(url, dir) {
  const file = sqliteFile(url);
  restrictSqliteFiles(file);
  const db = new Database(file);
  try {
    db.pragma("busy_timeout = 10000");
    db.pragma("journal_mode = WAL");
    db.exec(SQLITE_TABLE);
    const all = readMigrations(dir);
    db.exec("BEGIN IMMEDIATE");
    try {
      const rows = db
        .prepare(`SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`)
        .all();
      const pending = pendingMigrations(all, rows);
      for (const m of pending) {
        const id = randomUUID();
        db.prepare(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at) VALUES (?, ?, ?, ?)`,
        ).run(id, m.checksum, m.name, /* @__PURE__ */ new Date().toISOString());
        try {
          db.exec(m.sql);
        } catch (error) {
          throw new Error(`Migration ${m.name} failed and was rolled back: ${error.message}`);
        }
        db.prepare(`UPDATE "_prisma_migrations" SET finished_at = ?, applied_steps_count = 1 WHERE id = ?`).run(
          /* @__PURE__ */ new Date().toISOString(),
          id,
        );
      }
      db.exec("COMMIT");
      return { applied: pending.map((m) => m.name), total: all.length };
    } catch (error) {
      if (db.inTransaction) db.exec("ROLLBACK");
      throw error;
    }
  } finally {
    db.close();
  }
}
async function migratePostgres(url, dir) {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1e4 });
  await client.connect();
  try {
    const all = readMigrations(dir);
    await client.query("SELECT pg_advisory_lock($1::bigint)", [MIGRATION_LOCK_KEY]);
    try {
      await client.query(POSTGRES_TABLE);
      const { rows } = await client.query(
        `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`,
      );
      const pending = pendingMigrations(all, rows);
      for (const m of pending) {
        await client.query("BEGIN");
        try {
          const id = randomUUID();
          await client.query(
            `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at) VALUES ($1, $2, $3, now())`,
            [id, m.checksum, m.name],
          );
          await client.query(m.sql);
          await client.query(
            `UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`,
            [id],
          );
          await client.query("COMMIT");
        } catch (error) {
          await client.query("ROLLBACK").catch(() => void 0);
          throw new Error(`Migration ${m.name} failed and was rolled back: ${error.message}`);
        }
      }
      return { applied: pending.map((m) => m.name), total: all.length };
    } finally {
      await client.query("SELECT pg_advisory_unlock($1::bigint)", [MIGRATION_LOCK_KEY]).catch(() => void 0);
    }
  } finally {
    await client.end().catch(() => void 0);
  }
}
async function applyMigrations(url) {
  const kind = databaseKind(url);
  if (kind === "sqlite") return migrateSqlite(url, migrationsDir(kind));
  return migratePostgres(url, migrationsDir(kind));
}

// lib/runtime/tls-certificate.ts
import {
  existsSync as existsSync3,
  mkdirSync as mkdirSync3,
  readFileSync as readFileSync2,
  writeFileSync,
} from "node:fs";
import { X509Certificate } from "node:crypto";
import path5 from "node:path";
import { Worker } from "node:worker_threads";
function generateInWorker(...args) {
  const worker = new Worker(
    `const { parentPort, workerData } = require("node:worker_threads");
    import("selfsigned")
      .then(({ generate }) => generate(...workerData))
      .then((pems) => parentPort.postMessage({ private: pems.private, cert: pems.cert }));`,
    { eval: true, workerData: args },
  );
  return new Promise((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`certificate generation stopped (exit code ${code})`)));
  });
}
async function loadOrCreateCertificate() {
  const certFile = process.env.TLS_CERT_FILE;
  const keyFile = process.env.TLS_KEY_FILE;
  if (certFile || keyFile) {
    if (!certFile || !keyFile)
      throw new Error(
        "Set both TLS_CERT_FILE and TLS_KEY_FILE, or neither (a self-signed certificate is then generated).",
      );
    return { cert: readFileSync2(certFile, "utf8"), key: readFileSync2(keyFile, "utf8"), source: certFile };
  }
  const dir = dataPath("tls");
  const files = { cert: path5.join(dir, "cert.pem"), key: path5.join(dir, "key.pem") };
  if (existsSync3(files.cert) && existsSync3(files.key)) {
    const cert = readFileSync2(files.cert, "utf8");
    const validTo = new Date(new X509Certificate(cert).validTo);
    if (validTo.getTime() - Date.now() > 7 * 24 * 3600 * 1e3) {
      return { cert, key: readFileSync2(files.key, "utf8"), source: files.cert };
    }
  }
  mkdirSync3(dir, { recursive: true, mode: 448 });
  const notBeforeDate = new Date(Date.now() - 6e4);
  const generated = await generateInWorker(
    [
      { name: "commonName", value: "localhost" },
      { name: "organizationName", value: "Mail Connect (self-signed)" },
    ],
    {
      keyType: "ec",
      curve: "P-256",
      algorithm: "sha256",
      notBeforeDate,
      notAfterDate: new Date(notBeforeDate.getTime() + 397 * 24 * 3600 * 1e3),
      extensions: [
        { name: "basicConstraints", cA: false },
        { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
        { name: "extKeyUsage", serverAuth: true },
        {
          name: "subjectAltName",
          altNames: [
            { type: 2, value: "localhost" },
            { type: 7, ip: "127.0.0.1" },
            { type: 7, ip: "::1" },
          ],
        },
      ],
    },
  );
  writeFileSync(files.key, generated.private, { mode: 384 });
  writeFileSync(files.cert, generated.cert, { mode: 420 });
  return { cert: generated.cert, key: generated.private, source: `${files.cert} (self-signed, generated)` };
}

// lib/auth/client-ip.ts
var CLIENT_IP_HEADER = "x-mail-connect-client-ip";

// lib/http/edge-bridge.ts
var KEY = /* @__PURE__ */ Symbol.for("mail-connect.edge-settings");
async function readEdgeSettings(fallback, fresh = false) {
  const read = globalThis[KEY];
  if (!read) return fallback;
  try {
    return await read(fresh);
  } catch {
    return fallback;
  }
}

// lib/http/action-request.ts
var ACTION_BODY_LIMIT = 1024 * 1024;
var PROTOTYPE_KEYS = /* @__PURE__ */ new Set(["__proto__", "constructor", "prototype"]);
var PLAIN_DOLLAR = /^\$(\$|undefined$)/;
function checkActionHeaders(input) {
  if (input.method !== "POST") return { status: 405, error: "Server actions are called with POST." };
  if (!input.origin || !input.trustedOrigins.includes(input.origin)) {
    return { status: 403, error: "This request came from another site and was refused." };
  }
  if (!/^[0-9a-f]{6,}$/i.test(input.actionId) || (input.knownActionIds && !input.knownActionIds.has(input.actionId))) {
    return { status: 404, error: "Unknown action: reload the page." };
  }
  const type = (input.contentType ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "text/plain" && type !== "multipart/form-data") {
    return { status: 415, error: "Unsupported content type for a server action." };
  }
  if (type === "multipart/form-data" && !/boundary=/i.test(input.contentType ?? "")) {
    return { status: 400, error: "Malformed form body." };
  }
  if (input.contentLength !== void 0) {
    if (!/^\d+$/.test(input.contentLength)) return { status: 400, error: "Malformed Content-Length." };
    if (Number(input.contentLength) > ACTION_BODY_LIMIT)
      return { status: 413, error: "Request body too large (1 MB at most)." };
  }
  return null;
}
function checkActionJsonBody(body) {
  let parsed;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { status: 400, error: "Malformed action body: not JSON." };
  }
  if (!Array.isArray(parsed)) return { status: 400, error: "Malformed action body: arguments must be a list." };
  return plainValue(parsed, 0) ? null : { status: 400, error: "Malformed action body: unsupported value." };
}
function plainValue(value, depth) {
  if (depth > 32) return false;
  if (value === null || typeof value === "number" || typeof value === "boolean") return true;
  if (typeof value === "string") return !value.startsWith("$") || PLAIN_DOLLAR.test(value);
  if (Array.isArray(value)) return value.every((v) => plainValue(v, depth + 1));
  if (typeof value === "object") {
    return Object.keys(value).every((k) => !PROTOTYPE_KEYS.has(k) && plainValue(value[k], depth + 1));
  }
  return false;
}

// lib/http/read-body.ts
import { IncomingMessage } from "node:http";
function readBody(req, limit) {
  return new Promise((resolve) => {
    const chunks = [];
    let size = 0;
    let done = false;
    const finish = (value) => {
      if (done) return;
      done = true;
      req.off("data", onData);
      resolve(value);
    };
    const onData = (chunk) => {
      size += chunk.length;
      if (size > limit) {
        req.pause();
        finish("too-large");
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.once("end", () => finish(Buffer.concat(chunks)));
    req.once("error", () => finish("aborted"));
    req.once("aborted", () => finish("aborted"));
  });
}
function replayRequest(original, body) {
  const copy = new IncomingMessage(original.socket);
  copy.method = original.method;
  copy.url = original.url;
  copy.httpVersion = original.httpVersion;
  copy.httpVersionMajor = original.httpVersionMajor;
  copy.httpVersionMinor = original.httpVersionMinor;
  const headers = { ...original.headers, "content-length": String(body.length) };
  delete headers["transfer-encoding"];
  copy.headers = headers;
  copy.rawHeaders = Object.entries(headers).flatMap(([k, v]) =>
    Array.isArray(v) ? v.flatMap((x) => [k, x]) : v === void 0 ? [] : [k, v],
  );
  copy.complete = true;
  copy.push(body);
  copy.push(null);
  return copy;
}

// lib/http/action-gate.ts
var UTF8 = new TextDecoder("utf-8", { fatal: true });
function header(req, name) {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
function checkMultipartBody(contentType, body) {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const b = boundary?.[1] ?? boundary?.[2];
  if (!b) return { status: 400, error: "Malformed form body." };
  const text = body.toString("latin1");
  if (!text.startsWith(`--${b}`) || !text.trimEnd().endsWith(`--${b}--`)) {
    return { status: 400, error: "Malformed form body." };
  }
  return null;
}
async function gateServerAction(req, res, context) {
  const actionId = header(req, "next-action") ?? "";
  const contentType = header(req, "content-type");
  const pathname = (req.url ?? "/").split("?")[0] ?? "/";
  let refusal = checkActionHeaders({
    method: req.method ?? "",
    contentType,
    contentLength: header(req, "content-length"),
    origin: header(req, "origin"),
    trustedOrigins: context.trustedOrigins,
    actionId,
    knownActionIds: context.manifest.ids,
  });
  if (!refusal && !context.manifest.pagesOf(actionId).some((p) => p.test(pathname))) {
    refusal = { status: 404, error: "Unknown action: reload the page." };
  }
  if (!refusal) {
    const body = await readBody(req, ACTION_BODY_LIMIT);
    if (body === "aborted") {
      res.destroy();
      return null;
    }
    if (body === "too-large") refusal = { status: 413, error: "Request body too large (1 MB at most)." };
    else {
      refusal = contentType?.toLowerCase().startsWith("multipart/")
        ? checkMultipartBody(contentType, body)
        : checkTextBody(body);
      if (!refusal) return replayRequest(req, body);
    }
  }
  console.warn(`[server action] ${refusal.status} ${req.method} ${pathname.slice(0, 100)}: ${refusal.error}`);
  res.writeHead(refusal.status, {
    "content-type": "application/json",
    "cache-control": "no-store",
    connection: refusal.status === 413 ? "close" : "keep-alive",
  });
  res.end(JSON.stringify({ error: refusal.error }));
  return null;
}
function checkTextBody(body) {
  let text;
  try {
    text = UTF8.decode(body);
  } catch {
    return { status: 400, error: "Malformed action body: not UTF-8 text." };
  }
  return checkActionJsonBody(text);
}

// lib/http/action-manifest.ts
import { existsSync as existsSync4, readFileSync as readFileSync3 } from "node:fs";
import path6 from "node:path";
function pagePattern(worker) {
  const parts = worker.split("/");
  if (parts[0] !== "app" || parts[parts.length - 1] !== "page") return null;
  const segments = parts.slice(1, -1).filter((s) => !/^\(.*\)$/.test(s));
  const source = segments
    .map((s) => {
      if (/^\[\[?\.\.\.\w+\]?\]$/.test(s)) return "(?:/[^?]*)?";
      if (/^\[\w+\]$/.test(s)) return "/[^/?]+";
      return `/${s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`;
    })
    .join("");
  return new RegExp(`^${source || "/"}$`);
}
function loadActionManifest(distDir) {
  const file = path6.join(distDir, "server", "server-reference-manifest.json");
  const node = existsSync4(file) ? (JSON.parse(readFileSync3(file, "utf8")).node ?? {}) : {};
  const pages = /* @__PURE__ */ new Map();
  for (const [id, entry] of Object.entries(node)) {
    pages.set(
      id,
      Object.keys(entry.workers ?? {})
        .map(pagePattern)
        .filter((p) => p !== null),
    );
  }
  return { ids: new Set(pages.keys()), pagesOf: (id) => pages.get(id) ?? [] };
}

// lib/http/origins.ts
function originOf(value) {
  try {
    const url = new URL(value.trim());
    return url.protocol === "https:" || url.protocol === "http:" ? url.origin : null;
  } catch {
    return null;
  }
}
function trustedOriginList(input) {
  const origins = /* @__PURE__ */ new Set([
    `https://localhost:${input.port}`,
    `https://127.0.0.1:${input.port}`,
    `https://[::1]:${input.port}`,
  ]);
  const base = input.serverBaseUrl ? originOf(input.serverBaseUrl) : null;
  if (base) origins.add(base);
  for (const o of (input.appOrigins ?? "").split(",")) {
    const origin = o.trim() ? originOf(o) : null;
    if (origin) origins.add(origin);
  }
  return [...origins];
}
function trustedHosts(origins) {
  return new Set(origins.map((o) => new URL(o).host));
}
function serverPort() {
  return Number(process.env.PORT || 3443);
}

// lib/http/host-policy.ts
var HOST_SYNTAX = /^(?:[a-z0-9](?:[a-z0-9-]{0,62}\.?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;
function originsForRequest(req, edge) {
  const host2 = (req.headers.host ?? "").toLowerCase();
  if (trustedHosts(edge.trustedOrigins).has(host2)) return edge.trustedOrigins;
  if (edge.setupOpen && host2.length <= 260 && HOST_SYNTAX.test(host2))
    return [...edge.trustedOrigins, `https://${host2}`];
  return null;
}

// lib/http/own-origin-fetch.ts
import { X509Certificate as X509Certificate2 } from "node:crypto";
import tls from "node:tls";
var GLOBAL_DISPATCHER = /* @__PURE__ */ Symbol.for("undici.globalDispatcher.1");
function sameOrigin(value, origin) {
  if (!value) return false;
  try {
    return new URL(String(value)).origin === origin;
  } catch {
    return false;
  }
}
async function trustOwnCertificate(origin, certPem) {
  await fetch("data:,").catch(() => void 0);
  const holder = globalThis;
  const fallback = holder[GLOBAL_DISPATCHER];
  if (!fallback) throw new Error("Node's fetch has no default agent to extend");
  const own = new X509Certificate2(certPem);
  const Agent = fallback.constructor;
  const pinned = new Agent({
    connect: {
      ca: [...tls.rootCertificates, certPem],
      // Whatever names the certificate carries: the peer must present this server's certificate.
      checkServerIdentity: (_host, peer) =>
        peer.fingerprint256 === own.fingerprint256
          ? void 0
          : new Error("the peer is not this server (certificate differs)"),
    },
  });
  holder[GLOBAL_DISPATCHER] = new Proxy(fallback, {
    get(target, property) {
      if (property === "dispatch") {
        return (options, handler) => (sameOrigin(options.origin, origin) ? pinned : target).dispatch(options, handler);
      }
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

// lib/http/request-path.ts
var REQUEST_PATH_HEADER = "x-mail-connect-path";

// lib/http/security-headers.ts
import { randomBytes } from "node:crypto";
function newNonce() {
  return randomBytes(16).toString("base64");
}
function contentSecurityPolicy(input) {
  const formAction = ["'self'", ...new Set(input.formTargets ?? [])].join(" ");
  return [
    "default-src 'self'",
    `script-src 'nonce-${input.nonce}' 'strict-dynamic'`,
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    `form-action ${formAction}`,
  ].join("; ");
}
var STATIC_SECURITY_HEADERS = [
  ["X-Frame-Options", "DENY"],
  ["X-Content-Type-Options", "nosniff"],
  ["Strict-Transport-Security", "max-age=31536000"],
  ["Cross-Origin-Opener-Policy", "same-origin"],
  ["Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"],
];
var DEFAULT_REFERRER_POLICY = "same-origin";

// lib/http/response-headers.ts
function applySecurityHeaders(req, res, formTargets) {
  const csp = contentSecurityPolicy({ nonce: newNonce(), formTargets });
  req.headers["content-security-policy"] = csp;
  res.setHeader("Content-Security-Policy", csp);
  for (const [name, value] of STATIC_SECURITY_HEADERS) res.setHeader(name, value);
  const writeHead = res.writeHead;
  res.writeHead = function (...args) {
    if (!this.hasHeader("referrer-policy") && !headersArgHas(args, "referrer-policy")) {
      this.setHeader("Referrer-Policy", DEFAULT_REFERRER_POLICY);
    }
    return writeHead.apply(this, args);
  };
}
function headersArgHas(args, name) {
  const headers = args.find((a) => typeof a === "object" && a !== null);
  if (!headers) return false;
  if (Array.isArray(headers)) return headers.some((h, i) => i % 2 === 0 && String(h).toLowerCase() === name);
  return Object.keys(headers).some((k) => k.toLowerCase() === name);
}

// scripts/server.ts
process.env.NEXT_TELEMETRY_DISABLED = "1";
var port = serverPort();
var host = process.env.HOST || void 0;
var trustProxy = process.env.TRUST_PROXY === "1" || process.env.TRUST_PROXY === "true";
var selfHost = !host || host === "::" ? "localhost" : host === "0.0.0.0" ? "127.0.0.1" : host;
function clientIp(req) {
  if (trustProxy) {
    const forwarded = String(req.headers["x-forwarded-for"] ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    if (forwarded.length) return forwarded[forwarded.length - 1];
  }
  return req.socket.remoteAddress ?? "unknown";
}
function refuse(req, res, status, error) {
  console.warn(`[request] ${status} ${req.method} ${(req.url ?? "").split("?")[0]?.slice(0, 100)}: ${error}`);
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify({ error }));
}
var STARTING = {
  trustedOrigins: trustedOriginList({ port, serverBaseUrl: null, appOrigins: process.env.APP_ORIGINS }),
  identityOrigin: null,
  setupOpen: false,
};
async function main() {
  const dir = dataDir();
  const migrations = await applyMigrations(databaseUrl());
  console.log(
    `Database ready (${migrations.total} migrations, ${migrations.applied.length} applied now). Data directory: ${dir}`,
  );
  const app = next({ dev: false, dir: process.cwd(), hostname: selfHost, port });
  const [tls2] = await Promise.all([loadOrCreateCertificate(), app.prepare()]);
  await trustOwnCertificate(`https://${selfHost.includes(":") ? `[${selfHost}]` : selfHost}:${port}`, tls2.cert);
  const handle = app.getRequestHandler();
  const manifest = loadActionManifest(path7.resolve(process.env.NEXT_DIST_DIR || ".next"));
  const serve = async (req, res) => {
    req.headers[CLIENT_IP_HEADER] = clientIp(req);
    req.headers[REQUEST_PATH_HEADER] = req.url ?? "/";
    req.headers["x-forwarded-proto"] = "https";
    if (!trustProxy) delete req.headers["x-forwarded-host"];
    const navigation = req.method === "GET" && req.headers["sec-fetch-dest"] === "document";
    const edge = await readEdgeSettings(STARTING, navigation);
    const origins = originsForRequest(req, edge);
    if (!origins) {
      return refuse(req, res, 421, "This server does not answer for that host name: use the Server Base URL.");
    }
    applySecurityHeaders(req, res, edge.identityOrigin ? [edge.identityOrigin] : []);
    const origin = req.headers.origin;
    if ((req.url ?? "").startsWith("/api/auth/")) {
      const changes = req.method !== "GET" && req.method !== "HEAD";
      if ((origin !== void 0 || changes) && !origins.includes(origin ?? "")) {
        return refuse(req, res, 403, "This request came from another site and was refused.");
      }
    }
    if (req.headers["next-action"] !== void 0) {
      const checked = await gateServerAction(req, res, { trustedOrigins: origins, manifest });
      if (checked) await handle(checked, res);
      return;
    }
    await handle(req, res);
  };
  const server = https.createServer({ key: tls2.key, cert: tls2.cert }, (req, res) => {
    serve(req, res).catch((error) => {
      console.error("[request] unexpected error:", error instanceof Error ? error.message : error);
      if (!res.headersSent) refuse(req, res, 500, "Something went wrong.");
      else res.destroy();
    });
  });
  server.listen(port, host, () => {
    const shown = !host || host === "0.0.0.0" || host === "::" ? "localhost" : host;
    console.log(`Mail Connect is serving https://${shown}:${port} (certificate: ${tls2.source})`);
  });
  const stop = () => server.close(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}
main().catch((error) => {
  console.error("Mail Connect could not start:", error instanceof Error ? error.message : error);
  process.exit(1);
});
