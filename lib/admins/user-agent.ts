import Bowser from "bowser";

/** A session's user agent as a person reads it: "Chrome 156 on Linux (desktop)"; "Unknown device" when absent. */
export function readableUserAgent(userAgent: string | null | undefined): string {
  if (!userAgent?.trim()) return "Unknown device";
  const { browser, os, platform } = Bowser.parse(userAgent);
  const name = browser.name ? `${browser.name}${browser.version ? ` ${browser.version.split(".")[0]}` : ""}` : null;
  const system = os.name ? `${os.name}${os.versionName ? ` ${os.versionName}` : ""}` : null;
  if (!name && !system) return userAgent.slice(0, 80);
  return [name ?? "Unknown browser", system ? `on ${system}` : null, platform.type ? `(${platform.type})` : null]
    .filter(Boolean)
    .join(" ");
}

/** A session's address, IPv6 compressed ("2001:db8::" rather than eight groups of zeros); "unknown" when absent. */
export function readableAddress(address: string | null | undefined): string {
  if (!address) return "unknown";
  if (!address.includes(":")) return address;
  try {
    return new URL(`http://[${address}]/`).hostname.slice(1, -1);
  } catch {
    return address;
  }
}
