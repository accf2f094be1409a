import { CLIENT_IP_HEADER } from "@/lib/auth/client-ip";

/** Where a request came from, for the audit trail: the client address our server saw and the user agent. */
export function requestFacts(headers: Headers | undefined | null): {
  address: string | null;
  userAgent: string | null;
} {
  return {
    address: headers?.get(CLIENT_IP_HEADER) || null,
    userAgent: headers?.get("user-agent")?.slice(0, 300) || null,
  };
}
