/**
 * The HTTPS server that `npm start` runs (compiled to plain JavaScript by `npm run build`, see
 * scripts/build.mjs): applies pending migrations, then serves the app over HTTPS and runs the SMTP relay
 * (lib/relay, off until enabled on the Relay page). PORT (default 3443) and HOST (default all interfaces)
 * choose where it listens; RELAY_SMTP_PORT (default 2525) and RELAY_HOST (default 127.0.0.1) the relay.
 */
import https from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import next from "next";
import { applyMigrations } from "@/lib/db/migrate";
import { databaseUrl } from "@/lib/db/database-url";
import { dataDir } from "@/lib/runtime/data-dir";
import { loadOrCreateCertificate } from "@/lib/runtime/tls-certificate";
import { provideServerTls, runProcessStopHooks } from "@/lib/runtime/process-hooks";
import { CLIENT_IP_HEADER } from "@/lib/auth/client-ip";
import { type EdgeSettings, readEdgeSettings } from "@/lib/http/edge-bridge";
import { gateServerAction } from "@/lib/http/action-gate";
import { loadActionManifest } from "@/lib/http/action-manifest";
import { originsForRequest } from "@/lib/http/host-policy";
import { serverPort, trustedOriginList } from "@/lib/http/origins";
import { trustOwnCertificate } from "@/lib/http/own-origin-fetch";
import { REQUEST_PATH_HEADER } from "@/lib/http/request-path";
import { applySecurityHeaders } from "@/lib/http/response-headers";
import { errorText, logger } from "@/lib/log/logger";

const log = logger("request");

process.env.NEXT_TELEMETRY_DISABLED = "1";
const port = serverPort();
const host = process.env.HOST || undefined; // undefined: all interfaces
const trustProxy = process.env.TRUST_PROXY === "1" || process.env.TRUST_PROXY === "true";
// The name Next.js uses for requests to itself (see lib/http/own-origin-fetch.ts): this server.
const selfHost = !host || host === "::" ? "localhost" : host === "0.0.0.0" ? "127.0.0.1" : host;

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

function refuse(req: IncomingMessage, res: ServerResponse, status: number, error: string): void {
  log.warn(
    { status, method: req.method, path: (req.url ?? "").split("?")[0]?.slice(0, 100), error },
    "request refused",
  );
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify({ error }));
}

function wellFormedPath(url: string): boolean {
  try {
    decodeURIComponent(url.split("?")[0] ?? "/");
    return true;
  } catch {
    return false;
  }
}

/** Before the app has published its settings reader (the first moments of a start): loopback and APP_ORIGINS. */
const STARTING: EdgeSettings = {
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

  // Told its hostname and port, Next.js sends its requests to itself here (not to 127.0.0.1:3000).
  const app = next({ dev: false, dir: process.cwd(), hostname: selfHost, port });
  // A first start generates the certificate in a worker thread while Next prepares.
  // The certificate is handed to the Next.js runtime too: the SMTP relay (lib/relay, started there by
  // lib/runtime/on-server-start.ts with the app's one database client) offers it for STARTTLS.
  const certificate = loadOrCreateCertificate();
  provideServerTls(certificate);
  const [tls] = await Promise.all([certificate, app.prepare()]);
  await trustOwnCertificate(`https://${selfHost.includes(":") ? `[${selfHost}]` : selfHost}:${port}`, tls.cert);
  const handle = app.getRequestHandler();
  const manifest = loadActionManifest(path.resolve(process.env.NEXT_DIST_DIR || ".next"));

  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    req.headers[CLIENT_IP_HEADER] = clientIp(req);
    req.headers[REQUEST_PATH_HEADER] = req.url ?? "/";
    req.headers["x-forwarded-proto"] = "https"; // this server only speaks HTTPS
    if (!trustProxy) delete req.headers["x-forwarded-host"];
    // A page navigation reads the settings anew (its CSP lives as long as the page); the rest uses the cache.
    const navigation = req.method === "GET" && req.headers["sec-fetch-dest"] === "document";
    const edge = await readEdgeSettings(STARTING, navigation);
    const origins = originsForRequest(req, edge);
    if (!origins) {
      return refuse(req, res, 421, "This server does not answer for that host name: use the Server Base URL.");
    }
    applySecurityHeaders(req, res, edge.identityOrigin ? [edge.identityOrigin] : []);
    // A malformed escape in the path ("/invite/%E0%A4%A") would fail Next.js's route matching with a 500.
    if (!wellFormedPath(req.url ?? "/")) return refuse(req, res, 400, "The address is malformed.");
    const origin = req.headers.origin;
    if ((req.url ?? "").startsWith("/api/auth/")) {
      const changes = req.method !== "GET" && req.method !== "HEAD";
      if ((origin !== undefined || changes) && !origins.includes(origin ?? "")) {
        return refuse(req, res, 403, "This request came from another site and was refused.");
      }
    }
    if (req.headers["next-action"] !== undefined) {
      const checked = await gateServerAction(req, res, { trustedOrigins: origins, manifest });
      if (checked) await handle(checked, res);
      return;
    }
    await handle(req, res);
  };
  const server = https.createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    serve(req, res).catch((error: unknown) => {
      log.error(
        { method: req.method, path: (req.url ?? "").split("?")[0]?.slice(0, 100), error: errorText(error) },
        "unexpected error",
      );
      if (!res.headersSent) refuse(req, res, 500, "Something went wrong.");
      else res.destroy();
    });
  });
  server.listen(port, host, () => {
    const shown = !host || host === "0.0.0.0" || host === "::" ? "localhost" : host;
    console.log(`Mail Connect is serving https://${shown}:${port} (certificate: ${tls.source})`);
  });
  // SIGTERM: stop accepting; HTTPS requests and relay sessions in flight finish (the relay waits up to 30 s).
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    const web = new Promise<void>((resolve) => server.close(() => resolve()));
    Promise.all([web, runProcessStopHooks()]).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((error) => {
  console.error("Mail Connect could not start:", error instanceof Error ? error.message : error);
  process.exit(1);
});
