import type { IncomingMessage, ServerResponse } from "node:http";
import {
  contentSecurityPolicy,
  DEFAULT_REFERRER_POLICY,
  newNonce,
  STATIC_SECURITY_HEADERS,
} from "@/lib/http/security-headers";

/**
 * The security headers of every response, set before Next.js answers. The CSP carries a fresh nonce,
 * also given to Next.js as the request's `Content-Security-Policy` header: Next puts that nonce on the
 * scripts it renders. The referrer policy is a default that a response may replace (the OAuth redirects
 * send `no-referrer`): it is filled in only when the response headers are written without one.
 */
export function applySecurityHeaders(req: IncomingMessage, res: ServerResponse, formTargets: readonly string[]): void {
  const csp = contentSecurityPolicy({ nonce: newNonce(), formTargets });
  req.headers["content-security-policy"] = csp;
  res.setHeader("Content-Security-Policy", csp);
  for (const [name, value] of STATIC_SECURITY_HEADERS) res.setHeader(name, value);
  const writeHead = res.writeHead;
  res.writeHead = function (this: ServerResponse, ...args: Parameters<ServerResponse["writeHead"]>) {
    if (!this.hasHeader("referrer-policy") && !headersArgHas(args, "referrer-policy")) {
      this.setHeader("Referrer-Policy", DEFAULT_REFERRER_POLICY);
    }
    return writeHead.apply(this, args);
  } as ServerResponse["writeHead"];
}

function headersArgHas(args: unknown[], name: string): boolean {
  const headers = args.find((a) => typeof a === "object" && a !== null);
  if (!headers) return false;
  if (Array.isArray(headers)) return headers.some((h, i) => i % 2 === 0 && String(h).toLowerCase() === name);
  return Object.keys(headers).some((k) => k.toLowerCase() === name);
}
