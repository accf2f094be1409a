import { IncomingMessage } from "node:http";
import type { Socket } from "node:net";

/** Reads a request body up to `limit` bytes: the bytes, or "too-large" (reading stops there), or "aborted". */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | "too-large" | "aborted"> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (value: Buffer | "too-large" | "aborted") => {
      if (done) return;
      done = true;
      req.off("data", onData);
      resolve(value);
    };
    const onData = (chunk: Buffer) => {
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

/**
 * A request that Next.js can read as if it had arrived: the same socket, method, URL and headers, and
 * the body already read by the check (the original stream is consumed). The response is untouched, so
 * what Next streams back is not buffered.
 */
export function replayRequest(original: IncomingMessage, body: Buffer): IncomingMessage {
  const copy = new IncomingMessage(original.socket as Socket);
  copy.method = original.method;
  copy.url = original.url;
  copy.httpVersion = original.httpVersion;
  copy.httpVersionMajor = original.httpVersionMajor;
  copy.httpVersionMinor = original.httpVersionMinor;
  const headers = { ...original.headers, "content-length": String(body.length) };
  delete headers["transfer-encoding"];
  copy.headers = headers;
  copy.rawHeaders = Object.entries(headers).flatMap(([k, v]) =>
    Array.isArray(v) ? v.flatMap((x) => [k, x]) : v === undefined ? [] : [k, v],
  );
  copy.complete = true;
  copy.push(body);
  copy.push(null);
  return copy;
}
