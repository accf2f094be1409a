import "server-only";
import { request } from "node:https";

/**
 * Every call to Microsoft Graph goes through `graphFetch` (one place to route them: a proxy, logging).
 * HTTPS only, a bounded time, the answer read whole (Graph's answers here are small: 202 with no body,
 * or an error object). Network failures reject with `GraphNetworkError`; any HTTP answer resolves.
 */

export type GraphRequest = {
  method: "POST" | "GET";
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** Extra CA (tests against the sandbox). */
  ca?: string | string[];
  timeoutMs?: number;
};

export type GraphResponse = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

export class GraphNetworkError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = "GraphNetworkError";
  }
}

const DEFAULT_TIMEOUT_MS = 30_000;

export function graphFetch(url: string, init: GraphRequest): Promise<GraphResponse> {
  const target = new URL(url);
  if (target.protocol !== "https:")
    return Promise.reject(new GraphNetworkError(`${target.origin} is not HTTPS`, "EPROTO"));
  const body = init.body === undefined ? undefined : Buffer.isBuffer(init.body) ? init.body : Buffer.from(init.body);
  const headers: Record<string, string> = { ...(init.headers ?? {}) };
  if (body) headers["content-length"] = String(body.length);
  const timeoutMs = init.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (error: GraphNetworkError | null, value?: GraphResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) {
        req.destroy();
        reject(error);
      } else resolve(value!);
    };
    const req = request(
      target,
      { method: init.method, headers, ...(init.ca ? { ca: init.ca } : {}), agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", () => undefined);
        res.on("end", () =>
          finish(null, {
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        res.on("close", () => {
          if (!res.complete)
            finish(new GraphNetworkError(`${target.host} closed the connection mid-answer`, "ECONNRESET"));
        });
      },
    );
    const timer = setTimeout(
      () =>
        finish(
          new GraphNetworkError(`${target.host} did not answer within ${Math.round(timeoutMs / 1000)} s`, "ETIMEDOUT"),
        ),
      timeoutMs,
    );
    req.on("error", (err: NodeJS.ErrnoException) =>
      finish(
        new GraphNetworkError(`${target.host}: ${err.code ? `${err.code}: ` : ""}${err.message}`, err.code ?? "ERROR"),
      ),
    );
    req.end(body);
  });
}

/** Graph's error object (`{ error: { code, message } }`), or null when the body is not one. */
export function graphErrorOf(body: string): { code: string; message: string } | null {
  try {
    const e = (JSON.parse(body) as { error?: { code?: unknown; message?: unknown } }).error;
    return e && typeof e.code === "string"
      ? { code: e.code, message: typeof e.message === "string" ? e.message : "" }
      : null;
  } catch {
    return null;
  }
}
