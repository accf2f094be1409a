import "server-only";
import { generalSettingsForRequest } from "@/lib/settings/general-repository";

/**
 * Origins allowed to send state-changing requests to the auth API: the origin the browser used to
 * reach this server (same-origin requests), the saved Server Base URL (the public https address,
 * e.g. behind a proxy), and any listed in APP_ORIGINS (comma separated).
 */
export async function trustedOrigins(request?: Request): Promise<string[]> {
  const origins = new Set<string>();
  for (const o of (process.env.APP_ORIGINS ?? "").split(",")) if (o.trim()) origins.add(o.trim());
  try {
    const base = (await generalSettingsForRequest()).serverBaseUrl;
    if (base) origins.add(new URL(base).origin);
  } catch {
    // settings unreadable (database starting): same-origin requests still work
  }
  const host = request?.headers.get("host");
  if (host) origins.add(`https://${host}`);
  return [...origins];
}
