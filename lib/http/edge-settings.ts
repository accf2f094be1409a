import "server-only";
import { trustedOrigins } from "@/lib/auth/trusted-origins";
import { db } from "@/lib/db/client";
import { type EdgeSettings, publishEdgeReader } from "@/lib/http/edge-bridge";
import { resolveCloud } from "@/lib/microsoft/client-safe/clouds";
import { getEmailSettings } from "@/lib/settings/email-repository";

const TTL_MS = 2_000;

function originOrNull(value: string): string | null {
  try {
    return new URL(value).origin;
  } catch {
    return null;
  }
}

async function load(): Promise<EdgeSettings> {
  const [origins, email, admins] = await Promise.all([trustedOrigins(), getEmailSettings(), db.user.count()]);
  return {
    trustedOrigins: origins,
    identityOrigin: email.saved ? originOrNull(resolveCloud(email).authority) : null,
    setupOpen: admins === 0,
  };
}

/**
 * Publishes the settings the HTTPS server reads per request (trusted origins, the identity platform's
 * origin for the CSP's form-action, whether first-run setup is open), read at most every 2 s (a saved
 * change is in force within that time, on every instance), and anew for every page navigation.
 */
export function publishEdgeSettings(): void {
  let cached: { at: number; value: Promise<EdgeSettings> } | null = null;
  publishEdgeReader((fresh) => {
    const now = Date.now();
    if (fresh || !cached || now - cached.at > TTL_MS) {
      // A failure (database unavailable) is kept for the same 2 s: the server uses its loopback defaults
      // meanwhile instead of waiting for the database on every request.
      const value = load();
      value.catch(() => undefined);
      cached = { at: now, value };
    }
    return cached.value;
  });
}
