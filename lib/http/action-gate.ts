import type { IncomingMessage, ServerResponse } from "node:http";
import type { ActionManifest } from "@/lib/http/action-manifest";
import {
  ACTION_BODY_LIMIT,
  type ActionRefusal,
  checkActionHeaders,
  checkActionJsonBody,
} from "@/lib/http/action-request";
import { readBody, replayRequest } from "@/lib/http/read-body";
import { logger } from "@/lib/log/logger";

const log = logger("request");

const UTF8 = new TextDecoder("utf-8", { fatal: true });

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** A multipart body whose parts are delimited by the declared boundary and that ends with the closing one. */
function checkMultipartBody(contentType: string, body: Buffer): ActionRefusal | null {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const b = boundary?.[1] ?? boundary?.[2];
  if (!b) return { status: 400, error: "Malformed form body." };
  const text = body.toString("latin1");
  if (!text.startsWith(`--${b}`) || !text.trimEnd().endsWith(`--${b}--`)) {
    return { status: 400, error: "Malformed form body." };
  }
  return null;
}

/**
 * The check of a server action call before Next.js sees it (issue 11, item 11): Origin, a known action id
 * posted to a page that has it, content type, size and a well-formed body. Answers the request itself
 * (a short JSON error, one log line) and returns null, or returns the request to hand to Next.
 */
export async function gateServerAction(
  req: IncomingMessage,
  res: ServerResponse,
  context: { trustedOrigins: readonly string[]; manifest: ActionManifest },
): Promise<IncomingMessage | null> {
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
  log.warn(
    { status: refusal.status, method: req.method, path: pathname.slice(0, 100), error: refusal.error },
    "server action refused",
  );
  res.writeHead(refusal.status, {
    "content-type": "application/json",
    "cache-control": "no-store",
    connection: refusal.status === 413 ? "close" : "keep-alive",
  });
  res.end(JSON.stringify({ error: refusal.error }));
  return null;
}

function checkTextBody(body: Buffer): ActionRefusal | null {
  let text: string;
  try {
    text = UTF8.decode(body);
  } catch {
    return { status: 400, error: "Malformed action body: not UTF-8 text." };
  }
  return checkActionJsonBody(text);
}
