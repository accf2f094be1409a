import "server-only";
import { EnvHttpProxyAgent, fetch as undiciFetch, type Dispatcher } from "undici";

/**
 * Every HTTPS request the server makes itself — Microsoft's identity platform (MSAL's network client),
 * Microsoft Graph, webhooks — goes through this dispatcher, which honours HTTPS_PROXY / HTTP_PROXY and
 * NO_PROXY (also lower-case; Node's own fetch ignores them): a request to a host NO_PROXY lists goes
 * direct, any other through the proxy (an HTTP CONNECT tunnel: TLS stays end to end, the proxy sees
 * only the host name). SMTP and IMAP are not proxied (raw TCP; see README "Outbound proxy").
 * The proxy URL may carry credentials (http://user:pass@proxy:3128); they are never logged.
 */

const PROXY_VARIABLES = ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy"] as const;

const globalForOutbound = globalThis as unknown as { mailConnectOutbound?: Map<string, Dispatcher> };

/** The dispatcher for the current proxy settings (and, in tests, a CA to trust besides Node's). */
export function outboundDispatcher(options: { ca?: string } = {}): Dispatcher {
  globalForOutbound.mailConnectOutbound ??= new Map();
  const cache = globalForOutbound.mailConnectOutbound;
  const key = JSON.stringify([...PROXY_VARIABLES.map((name) => process.env[name] ?? ""), options.ca ?? ""]);
  let dispatcher = cache.get(key);
  if (!dispatcher) {
    const tls = options.ca ? { ca: options.ca } : {};
    dispatcher = new EnvHttpProxyAgent({
      connect: tls, // direct connections
      requestTls: tls, // the TLS to the destination inside a proxy tunnel
      noProxy: process.env.NO_PROXY ?? process.env.no_proxy,
    });
    cache.set(key, dispatcher);
  }
  return dispatcher;
}

export type OutboundInit = Parameters<typeof undiciFetch>[1] & { ca?: string };

/** `fetch` through the outbound dispatcher (Graph, webhooks). */
export function outboundFetch(url: string | URL, init: OutboundInit = {}): ReturnType<typeof undiciFetch> {
  const { ca, ...rest } = init;
  return undiciFetch(url, { ...rest, dispatcher: outboundDispatcher({ ca }) });
}

/** Closes every pooled connection and tunnel (tests; a process about to exit). */
export async function closeOutboundConnections(): Promise<void> {
  const cache = globalForOutbound.mailConnectOutbound;
  globalForOutbound.mailConnectOutbound = undefined;
  await Promise.all([...(cache?.values() ?? [])].map((d) => d.close().catch(() => undefined)));
}
