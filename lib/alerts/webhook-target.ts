import "server-only";
import { lookup } from "node:dns/promises";
import ipaddr from "ipaddr.js";

/**
 * Where an alert webhook may point: an https URL whose host resolves only to public addresses. Every
 * address the name resolves to is checked (a name with one private address among public ones is
 * refused), so the webhook cannot be used to reach this server's own network (loopback, link-local,
 * private, unique-local, CGNAT, …). `WEBHOOK_ALLOW_PRIVATE=1` lifts both rules (a lab, the tests).
 * Checked when the URL is saved and again before every delivery (a name can change what it resolves to).
 */

export function privateTargetsAllowed(): boolean {
  return process.env.WEBHOOK_ALLOW_PRIVATE === "1";
}

/** A public unicast address (IPv4-mapped IPv6 is read as its IPv4 address). */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  return ipaddr.process(address).range() === "unicast";
}

export type TargetLookup = (host: string) => Promise<string[]>;

const systemLookup: TargetLookup = async (host) => (await lookup(host, { all: true })).map((a) => a.address);

/** Why alerts cannot be sent to `url`, or null when they can. */
export async function webhookTargetProblem(url: string, resolve: TargetLookup = systemLookup): Promise<string | null> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "The webhook URL is not a valid URL.";
  }
  const allowPrivate = privateTargetsAllowed();
  if (parsed.protocol !== "https:" && !(allowPrivate && parsed.protocol === "http:"))
    return "The webhook URL must start with https:// (the alert and its signature travel encrypted).";
  if (allowPrivate) return null;
  const host = parsed.hostname.replace(/^\[(.*)\]$/, "$1");
  let addresses: string[];
  if (ipaddr.isValid(host)) addresses = [host];
  else {
    try {
      addresses = await resolve(host);
    } catch (error) {
      const code = (error as { code?: string }).code;
      return `The webhook host ${host} could not be resolved${code ? ` (${code})` : ""}.`;
    }
  }
  if (addresses.length === 0) return `The webhook host ${host} has no address.`;
  const refused = addresses.filter((a) => !isPublicAddress(a));
  if (refused.length)
    return `The webhook host ${host} resolves to ${refused.join(", ")}: a loopback, link-local or private address is refused (set WEBHOOK_ALLOW_PRIVATE=1 to allow it).`;
  return null;
}
