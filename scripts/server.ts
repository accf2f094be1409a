/**
 * The HTTPS server that `npm start` runs (compiled to plain JavaScript by `npm run build`, see
 * scripts/build.mjs): applies pending migrations, then serves the app over HTTPS.
 * PORT (default 3443) and HOST (default all interfaces) choose where it listens.
 */
import https from "node:https";
import type { IncomingMessage } from "node:http";
import next from "next";
import { applyMigrations } from "@/lib/db/migrate";
import { databaseUrl } from "@/lib/db/database-url";
import { dataDir } from "@/lib/runtime/data-dir";
import { loadOrCreateCertificate } from "@/lib/runtime/tls-certificate";
import { CLIENT_IP_HEADER } from "@/lib/auth/client-ip";

process.env.NEXT_TELEMETRY_DISABLED = "1";
const port = Number(process.env.PORT || 3443);
const host = process.env.HOST || undefined; // undefined: all interfaces
const trustProxy = process.env.TRUST_PROXY === "1" || process.env.TRUST_PROXY === "true";

/** The client address for throttling: the TCP peer, or (TRUST_PROXY=1) the proxy's X-Forwarded-For. */
function clientIp(req: IncomingMessage): string {
  if (trustProxy) {
    const forwarded = String(req.headers["x-forwarded-for"] ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    if (forwarded.length) return forwarded[forwarded.length - 1];
  }
  return req.socket.remoteAddress ?? "unknown";
}

async function main() {
  const dir = dataDir();
  const migrations = await applyMigrations(databaseUrl());
  console.log(
    `Database ready (${migrations.total} migrations, ${migrations.applied.length} applied now). Data directory: ${dir}`,
  );

  // A first start generates the certificate in a worker thread while Next prepares.
  const app = next({ dev: false, dir: process.cwd() });
  const [tls] = await Promise.all([loadOrCreateCertificate(), app.prepare()]);
  const handle = app.getRequestHandler();

  const server = https.createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    req.headers[CLIENT_IP_HEADER] = clientIp(req);
    void handle(req, res);
  });
  server.listen(port, host, () => {
    const shown = !host || host === "0.0.0.0" || host === "::" ? "localhost" : host;
    console.log(`Mail Connect is serving https://${shown}:${port} (certificate: ${tls.source})`);
  });
  const stop = () => server.close(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((error) => {
  console.error("Mail Connect could not start:", error instanceof Error ? error.message : error);
  process.exit(1);
});
