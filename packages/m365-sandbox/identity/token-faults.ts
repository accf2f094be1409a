import type { ServerResponse } from "node:http";
import type { SandboxContext, TokenCallRecord } from "../context";
import { sleep } from "../util";
import { AADSTS, errorContext, tokenErrorBody } from "./errors";
import { sendJson } from "./http";

/**
 * The token endpoint's fault modes (set through the control API): what a client sees when the
 * identity platform, or something in front of it, misbehaves. Returns true when the call was
 * answered (or deliberately left unanswered) here; false to go on with the normal answer (also after
 * a `delay`).
 */
export async function applyTokenFault(
  ctx: SandboxContext,
  res: ServerResponse,
  record: TokenCallRecord,
  headers: Record<string, string>,
  correlation: string | null,
): Promise<boolean> {
  const fault = ctx.tokenFault;
  if (fault.mode === "none") return false;
  if (fault.remaining !== null) {
    fault.remaining -= 1;
    if (fault.remaining <= 0) ctx.tokenFault = { mode: "none", remaining: null };
  }
  switch (fault.mode) {
    case "hang":
      ctx.hanging.add(res);
      res.on("close", () => ctx.hanging.delete(res));
      return true;
    case "delay":
      ctx.hanging.add(res);
      await sleep(fault.delayMs ?? 0);
      ctx.hanging.delete(res);
      return res.destroyed; // the client gave up and closed: nothing more to send
    case "reset":
      res.socket?.destroy();
      return true;
    case "html":
      record.status = 200;
      res.writeHead(200, { "content-type": "text/html; charset=utf-8", ...headers });
      res.end("<!doctype html><html><head><title>Sign in to the network</title></head><body>Wi-Fi login</body></html>");
      return true;
    case "truncated": {
      const full = JSON.stringify({
        token_type: "Bearer",
        scope: "openid",
        expires_in: 3599,
        access_token: "x".repeat(80),
      });
      const half = full.slice(0, Math.floor(full.length / 2));
      record.status = 200;
      res.writeHead(200, {
        "content-type": "application/json; charset=utf-8",
        "content-length": String(half.length),
        ...headers,
      });
      res.end(half);
      return true;
    }
    case "error500": {
      const aad = AADSTS.serverError();
      record.status = 500;
      record.error = aad.error;
      record.errorCode = aad.code;
      sendJson(res, 500, tokenErrorBody(aad, errorContext(correlation), ctx.origin), headers);
      return true;
    }
  }
}
