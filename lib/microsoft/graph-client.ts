import "server-only";
import { outboundFetch } from "@/lib/http/outbound";

/**
 * Every call to Microsoft Graph goes through `graphFetch` (one place to route them: a proxy, logging).
 * HTTPS only (through lib/http/outbound: the proxy settings apply), a bounded time, the answer read whole (Graph's answers here are small: 202 with no body,
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

export async function graphFetch(url: string, init: GraphRequest): Promise<GraphResponse> {
  const target = new URL(url);
  if (target.protocol !== "https:") throw new GraphNetworkError(`${target.origin} is not HTTPS`, "EPROTO");
  const timeoutMs = init.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  try {
    // Through the outbound dispatcher: HTTPS_PROXY / NO_PROXY apply to Graph as to the identity platform.
    const res = await outboundFetch(target, {
      method: init.method,
      headers: init.headers,
      body: init.body,
      redirect: "manual",
      ...(init.ca ? { ca: Array.isArray(init.ca) ? init.ca.join("\n") : init.ca } : {}),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = await res.text();
    const headers: GraphResponse["headers"] = {};
    res.headers.forEach((value, name) => {
      headers[name] = value;
    });
    return { status: res.status, headers, body };
  } catch (error) {
    const e = error as Error & { cause?: NodeJS.ErrnoException };
    if (e.name === "TimeoutError" || e.name === "AbortError")
      throw new GraphNetworkError(
        `${target.host} did not answer within ${Math.round(timeoutMs / 1000)} s`,
        "ETIMEDOUT",
      );
    const code = e.cause?.code ?? "ERROR";
    throw new GraphNetworkError(
      `${target.host}: ${code === "ERROR" ? "" : `${code}: `}${e.cause?.message ?? e.message}`,
      code,
    );
  }
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
