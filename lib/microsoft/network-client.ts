import "server-only";
import type { IncomingMessage } from "node:http";
import { Agent, request } from "node:https";
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from "@azure/msal-node";
import { IdentityNetworkError } from "@/lib/microsoft/errors/network";

/**
 * MSAL's network module: HTTPS requests to the identity platform, each bounded by a timeout (MSAL's
 * own module has none for POSTs: a token endpoint that never answers would hold a refresh, and its
 * lease, forever), and every failure named as what it is (`IdentityNetworkError`): unreachable
 * (refused, reset, DNS, certificate), no answer in time, or an answer that is not JSON. Trusts what
 * Node trusts (NODE_EXTRA_CA_CERTS for a private CA) or, in tests, the CA given to setMsalTrustedCa.
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

const globalForMsal = globalThis as unknown as { mailConnectMsalAgent?: Agent | null };

/** Tests trust the sandbox's CA without restarting the process to change NODE_EXTRA_CA_CERTS. */
export function setMsalTrustedCa(ca: string | null): void {
  globalForMsal.mailConnectMsalAgent = ca ? new Agent({ ca, keepAlive: false }) : null;
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
  if (/socket hang up/i.test(error.message)) return "the connection was closed before any answer";
  return code || error.message.slice(0, 120);
}

function headersOf(res: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers))
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

function exchange<T>(
  method: "GET" | "POST",
  url: string,
  options: NetworkRequestOptions | undefined,
  timeoutMs: number,
): Promise<NetworkResponse<T>> {
  const host = new URL(url).host;
  const what = method === "POST" ? "token response" : "discovery document";
  return new Promise((resolve, reject) => {
    const body = method === "POST" ? (options?.body ?? "") : undefined;
    const headers: Record<string, string> = { ...(options?.headers ?? {}) };
    if (body !== undefined) headers["content-length"] = Buffer.byteLength(body).toString();
    let settled = false;
    const finish = (error: IdentityNetworkError | null, value?: NetworkResponse<T>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) {
        req.destroy();
        reject(error);
      } else resolve(value!);
    };
    const req = request(url, { method, headers, agent: globalForMsal.mailConnectMsalAgent ?? undefined }, (res) => {
      const chunks: Buffer[] = [];
      const type = (res.headers["content-type"] ?? "no content type").split(";")[0]!.trim();
      const answered = `HTTP ${res.statusCode} ${type}`;
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", () => undefined);
      res.on("close", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        if (!res.complete) {
          return finish(
            new IdentityNetworkError("not_token_response", host, `${answered}, cut off after ${text.length} bytes`),
          );
        }
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          return finish(new IdentityNetworkError("not_token_response", host, answered));
        }
        if (!parsed || typeof parsed !== "object" || Array.isArray(parsed))
          return finish(new IdentityNetworkError("not_token_response", host, `${answered}, not a JSON object`));
        finish(null, { headers: headersOf(res), body: parsed as T, status: res.statusCode ?? 0 });
      });
    });
    const timer = setTimeout(() => finish(new IdentityNetworkError("timeout", host, what, timeoutMs)), timeoutMs);
    req.on("error", (error) => finish(new IdentityNetworkError("unreachable", host, unreachableReason(error))));
    req.end(body);
  });
}
