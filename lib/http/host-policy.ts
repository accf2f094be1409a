import type { IncomingMessage } from "node:http";
import type { EdgeSettings } from "@/lib/http/edge-bridge";
import { trustedHosts } from "@/lib/http/origins";

// A host name or an IP literal with an optional port: what a browser sends as Host.
const HOST_SYNTAX = /^(?:[a-z0-9](?:[a-z0-9-]{0,62}\.?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/**
 * The origins that may change something for this request, or null when this server does not answer
 * for its Host: the trusted origins (their hosts are the Hosts answered). While no administrator exists,
 * any well-formed Host is answered and its own https origin trusted, so that first-run setup works over
 * a DNS name (the setup form records that origin as the Server Base URL).
 */
export function originsForRequest(req: IncomingMessage, edge: EdgeSettings): string[] | null {
  const host = (req.headers.host ?? "").toLowerCase();
  if (trustedHosts(edge.trustedOrigins).has(host)) return edge.trustedOrigins;
  if (edge.setupOpen && host.length <= 260 && HOST_SYNTAX.test(host))
    return [...edge.trustedOrigins, `https://${host}`];
  return null;
}
