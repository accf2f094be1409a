import { createServer, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { SandboxContext } from "../context";
import { handleControl } from "../control-api";
import { handleGraph } from "../graph/send-mail";
import { sleep } from "../util";
import { handleAdminConsent, handleAuthorize, handleLoginPost } from "./authorize";
import { discoveryDocument } from "./discovery";
import { AADSTS, errorContext, tokenErrorBody } from "./errors";
import { escapeHtml, readBody, sendHtml, sendJson } from "./http";
import { handleLogout } from "./logout";
import { indexPage, layout } from "./pages";
import { resolveTenant } from "./tenants";
import { handleToken } from "./token";

/**
 * The identity platform's HTTPS server (like login.microsoftonline.com), which also carries the
 * loopback-only control API under `/_sandbox/`.
 */

async function route(ctx: SandboxContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", ctx.origin || "https://127.0.0.1");
  const path = url.pathname;
  const method = req.method ?? "GET";

  if (path.startsWith("/_sandbox/")) {
    await handleControl(ctx, req, res, path, url.searchParams);
    return;
  }

  if (await handleGraph(ctx, req, res, path)) return;

  await sleep(ctx.latency.http);

  if (path === "/" && method === "GET") {
    sendHtml(
      res,
      200,
      indexPage(
        ctx.origin,
        ctx.store.data.tenants.map((t) => ({ id: t.id, domain: t.domains[0] ?? t.id })),
      ),
    );
    return;
  }
  if (path === "/error") {
    const code = url.searchParams.get("code") ?? "";
    sendHtml(
      res,
      200,
      layout(
        `AADSTS${code}`,
        `<h1>Error AADSTS${escapeHtml(code)}</h1><p>See the Microsoft Entra error code reference for this code.</p>`,
      ),
    );
    return;
  }

  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  const [tenantSegment, ...rest] = parts;
  if (!tenantSegment) return notFound(res);
  const tail = rest.join("/");
  const ref = resolveTenant(ctx, tenantSegment);

  if (
    (tail === "v2.0/.well-known/openid-configuration" || tail === ".well-known/openid-configuration") &&
    method === "GET"
  ) {
    if (ref.kind === "unknown") {
      sendJson(res, 400, tokenErrorBody(AADSTS.tenantNotFound(ref.segment), errorContext(null), ctx.origin));
      return;
    }
    sendJson(res, 200, discoveryDocument(ctx, ref), { "cache-control": "max-age=86400, private" });
    return;
  }
  if ((tail === "discovery/v2.0/keys" || tail === "discovery/keys") && method === "GET") {
    sendJson(res, 200, ctx.signer.jwks(), { "cache-control": "max-age=86400, private" });
    return;
  }
  if (tail === "oauth2/v2.0/authorize") {
    const params = method === "POST" ? new URLSearchParams(await readBody(req)) : url.searchParams;
    handleAuthorize(ctx, req, res, ref, params);
    return;
  }
  if (tail === "login" && method === "POST") {
    await handleLoginPost(ctx, req, res);
    return;
  }
  if (tail === "oauth2/v2.0/token") {
    if (method !== "POST") {
      sendJson(res, 405, {
        error: "invalid_request",
        error_description: "AADSTS900561: The endpoint only accepts POST requests.",
      });
      return;
    }
    await handleToken(ctx, req, res, ref);
    return;
  }
  if (tail === "oauth2/v2.0/logout") {
    const params = method === "POST" ? new URLSearchParams(await readBody(req)) : url.searchParams;
    handleLogout(ctx, req, res, params);
    return;
  }
  if (tail === "adminconsent" || tail === "v2.0/adminconsent") {
    handleAdminConsent(ctx, req, res, ref, url.searchParams);
    return;
  }
  notFound(res);
}

function notFound(res: ServerResponse): void {
  sendJson(res, 404, { error: "not_found" });
}

export function createIdentityServer(ctx: SandboxContext): Server {
  const server = createServer({ key: ctx.tls.serverKey, cert: ctx.tls.serverCert }, (req, res) => {
    route(ctx, req, res).catch((err: unknown) => {
      if (!res.headersSent)
        sendJson(res, 500, {
          error: "server_error",
          error_description: String(err instanceof Error ? err.message : err),
        });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5000;
  return server;
}
