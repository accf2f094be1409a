import "server-only";
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from "@azure/msal-node";
import { request } from "undici";
import { IdentityNetworkError } from "@/lib/microsoft/errors/network";
import { outboundDispatcher } from "@/lib/http/outbound";

/**
 * MSAL's network module: HTTPS requests to the identity platform, each bounded by a timeout (MSAL's
 * own module has none for POSTs: a token endpoint that never answers would hold a refresh, and its
 * lease, forever), and every failure named as what it is (`IdentityNetworkError`): unreachable
 * (refused, reset, DNS, certificate), no answer in time, or an answer that is not JSON. Trusts what
 * Node trusts (NODE_EXTRA_CA_CERTS for a private CA) or, in tests, the CA given to setMsalTrustedCa.
 * Through HTTPS_PROXY unless NO_PROXY lists the host (lib/http/outbound.ts).
 */

const REQUEST_TIMEOUT_MS = 20_000;

// MSAL fetches the authority's discovery document once per client instance, and a client is built
// per request (its cache plugin is per connection): keep the document for an hour per process, so
// a warm token costs no network round trip at all.
const DISCOVERY_TTL_MS = 60 * 60 * 1000;
const discoveryCache = new Map<string, { response: NetworkResponse<unknown>; expires: number }>();

export type IdentityNetwork = INetworkModule & {
  /** The last failure of this client: MSAL swallows discovery failures into its own vague error. */
  lastFailure: IdentityNetworkError | null;
};

const globalForMsal = globalThis as unknown as { mailConnectMsalCa?: string | null };

/** Tests trust the sandbox's CA without restarting the process to change NODE_EXTRA_CA_CERTS. */
export function setMsalTrustedCa(ca: string | null): void {
  globalForMsal.mailConnectMsalCa = ca;
}

const UNREACHABLE: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "the connection was reset",
  EPIPE: "the connection was reset",
  ENOTFOUND: "the host name does not resolve",
  EAI_AGAIN: "the host name does not resolve",
  EHOSTUNREACH: "no route to the host",
  ENETUNREACH: "no route to the host",
};

function unreachableReason(error: Error & { code?: string }): string {
  const code = error.code ?? "";
  if (UNREACHABLE[code]) return UNREACHABLE[code];
  if (/CERT|SELF_SIGNED|UNABLE_TO|ALTNAME/.test(code)) return `its TLS certificate is not trusted: ${code}`;
  if (/socket hang up|other side closed/i.test(error.message)) return "the connection was closed before any answer";
  if (/proxy/i.test(error.message)) return `the proxy refused the tunnel (${error.message.slice(0, 80)})`;
  return code || error.message.slice(0, 120);
}

function headersOf(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers))
    if (v !== undefined) out[k] = Array.isArray(v) ? v.join(", ") : String(v);
  return out;
}

export function identityNetworkClient(timeoutMs = REQUEST_TIMEOUT_MS): IdentityNetwork {
  const client: IdentityNetwork = {
    lastFailure: null,
    sendGetRequestAsync: <T>(url: string, options?: NetworkRequestOptions, timeout?: number) =>
      send<T>("GET", url, options, timeout),
    sendPostRequestAsync: <T>(url: string, options?: NetworkRequestOptions) => send<T>("POST", url, options),
  };

  async function send<T>(
    method: "GET" | "POST",
    url: string,
    options?: NetworkRequestOptions,
    timeout?: number,
  ): Promise<NetworkResponse<T>> {
    const discovery = method === "GET" && url.endsWith("/.well-known/openid-configuration");
    const cached = discovery ? discoveryCache.get(url) : undefined;
    if (cached && cached.expires > Date.now()) return cached.response as NetworkResponse<T>;
    try {
      const result = await exchange<T>(method, url, options, timeout ?? timeoutMs);
      if (discovery && result.status === 200)
        discoveryCache.set(url, { response: result, expires: Date.now() + DISCOVERY_TTL_MS });
      return result;
    } catch (error) {
      if (error instanceof IdentityNetworkError) client.lastFailure = error;
      throw error;
    }
  }
  return client;
}

async function exchange<T>(
  method: "GET" | "POST",
  url: string,
  options: NetworkRequestOptions | undefined,
  timeoutMs: number,
): Promise<NetworkResponse<T>> {
  const host = new URL(url).host;
  const what = method === "POST" ? "token response" : "discovery document";
  const body = method === "POST" ? (options?.body ?? "") : undefined;
  const headers: Record<string, string> = { ...(options?.headers ?? {}) };
  if (body !== undefined) headers["content-length"] = Buffer.byteLength(body).toString();
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  const timedOut = () => new IdentityNetworkError("timeout", host, what, timeoutMs);
  try {
    let res: Awaited<ReturnType<typeof request>>;
    try {
      res = await request(url, {
        method,
        headers,
        body,
        signal: abort.signal,
        dispatcher: outboundDispatcher({ ca: globalForMsal.mailConnectMsalCa ?? undefined }),
      });
    } catch (error) {
      if (abort.signal.aborted) throw timedOut();
      throw new IdentityNetworkError("unreachable", host, unreachableReason(error as Error & { code?: string }));
    }
    const type = String(res.headers["content-type"] ?? "no content type")
      .split(";")[0]!
      .trim();
    const answered = `HTTP ${res.statusCode} ${type}`;
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of res.body) chunks.push(Buffer.from(chunk as Uint8Array));
    } catch {
      if (abort.signal.aborted) throw timedOut();
      const length = Buffer.concat(chunks).length;
      throw new IdentityNetworkError("not_token_response", host, `${answered}, cut off after ${length} bytes`);
    }
    const text = Buffer.concat(chunks).toString("utf8");
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new IdentityNetworkError("not_token_response", host, answered);
    }
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed))
      throw new IdentityNetworkError("not_token_response", host, `${answered}, not a JSON object`);
    return { headers: headersOf(res.headers), body: parsed as T, status: res.statusCode };
  } finally {
    clearTimeout(timer);
  }
}
