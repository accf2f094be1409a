import { X509Certificate } from "node:crypto";
import tls from "node:tls";

/**
 * Next.js requests its own pages over HTTP(S) in two cases: the page a server action redirects to
 * (sign-out → /sign-in) is fetched to stream it in the action's answer, and an action posted to another
 * page is forwarded. Told its hostname and port (scripts/server.ts), Next sends these to
 * https://<host>:<PORT>, this server. Node's fetch does not trust a self-signed certificate, so requests
 * to exactly that origin go through an agent that trusts this server's own certificate (and only a peer
 * presenting that very certificate); every other request keeps the default agent.
 */
const GLOBAL_DISPATCHER = Symbol.for("undici.globalDispatcher.1");

type Dispatcher = { dispatch: (options: { origin?: string | URL }, handler: unknown) => boolean };
type AgentClass = new (options: object) => Dispatcher;

function sameOrigin(value: string | URL | undefined, origin: string): boolean {
  if (!value) return false;
  try {
    return new URL(String(value)).origin === origin;
  } catch {
    return false;
  }
}

export async function trustOwnCertificate(origin: string, certPem: string): Promise<void> {
  await fetch("data:,").catch(() => undefined); // loads Node's fetch, which creates its default agent
  const holder = globalThis as unknown as Record<symbol, Dispatcher | undefined>;
  const fallback = holder[GLOBAL_DISPATCHER];
  if (!fallback) throw new Error("Node's fetch has no default agent to extend");
  const own = new X509Certificate(certPem);
  const Agent = fallback.constructor as AgentClass;
  const pinned = new Agent({
    connect: {
      ca: [...tls.rootCertificates, certPem],
      // Whatever names the certificate carries: the peer must present this server's certificate.
      checkServerIdentity: (_host: string, peer: tls.PeerCertificate) =>
        peer.fingerprint256 === own.fingerprint256
          ? undefined
          : new Error("the peer is not this server (certificate differs)"),
    },
  });
  holder[GLOBAL_DISPATCHER] = new Proxy(fallback, {
    get(target, property) {
      if (property === "dispatch") {
        return (options: { origin?: string | URL }, handler: unknown) =>
          (sameOrigin(options.origin, origin) ? pinned : target).dispatch(options, handler);
      }
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
