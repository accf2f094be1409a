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
