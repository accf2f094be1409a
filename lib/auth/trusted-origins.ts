import "server-only";
import { serverPort, trustedOriginList } from "@/lib/http/origins";
import { generalSettingsForRequest } from "@/lib/settings/general-repository";

/**
 * Origins allowed to send state-changing requests (auth API, route handlers): this server's loopback
 * origins, the saved Server Base URL's origin (the public https address, e.g. behind a proxy) and
 * APP_ORIGINS. Never the request's own Host: a Host header is what an attacker chooses.
 */
export async function trustedOrigins(): Promise<string[]> {
  let serverBaseUrl: string | null = null;
  try {
    serverBaseUrl = (await generalSettingsForRequest()).serverBaseUrl;
  } catch {
    // settings unreadable (database starting): the loopback origins still work
  }
  return trustedOriginList({ port: serverPort(), serverBaseUrl, appOrigins: process.env.APP_ORIGINS });
}
