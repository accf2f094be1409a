import { Agent, request } from "node:https";
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from "@azure/msal-node";

/**
 * An MSAL `INetworkModule` that trusts the sandbox CA, for in-process tests (MSAL 7 otherwise uses
 * the global fetch, which trusts only NODE_EXTRA_CA_CERTS read at process start):
 *
 *   new ConfidentialClientApplication({ auth: {...}, system: { networkClient: sandboxNetworkClient(caPem) } })
 */
export function sandboxNetworkClient(ca: string): INetworkModule {
  const agent = new Agent({ ca, keepAlive: false });
  const send = <T>(
    method: "GET" | "POST",
    url: string,
    options?: NetworkRequestOptions,
    timeout?: number,
  ): Promise<NetworkResponse<T>> =>
    new Promise((resolve, reject) => {
      const body = options?.body;
      const headers: Record<string, string> = { ...(options?.headers ?? {}) };
      if (body !== undefined) headers["content-length"] = Buffer.byteLength(body).toString();
      const req = request(url, { method, agent, headers, timeout }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          const outHeaders: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers))
            if (v !== undefined) outHeaders[k] = Array.isArray(v) ? v.join(", ") : v;
          let parsed: unknown;
          try {
            parsed = text ? JSON.parse(text) : {};
          } catch {
            parsed = { error: "non_json_response", error_description: text.slice(0, 500) };
          }
          resolve({ headers: outHeaders, body: parsed as T, status: res.statusCode ?? 0 });
        });
        res.on("error", reject);
      });
      req.on("timeout", () => req.destroy(new Error(`request timed out after ${timeout} ms`)));
      req.on("error", reject);
      req.end(body);
    });
  return {
    sendGetRequestAsync: <T>(url: string, options?: NetworkRequestOptions, timeout?: number) =>
      send<T>("GET", url, options, timeout),
    sendPostRequestAsync: <T>(url: string, options?: NetworkRequestOptions) => send<T>("POST", url, options),
  };
}
