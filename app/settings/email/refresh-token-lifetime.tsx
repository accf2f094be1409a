import { formatUtc } from "@/lib/format/client-safe/utc";
import { describeExpiry, refreshTokenExpiry, REFRESH_TOKEN_IDLE_DAYS } from "@/lib/microsoft/credential-expiry";
import type { ConnectionView } from "@/lib/microsoft/mail-role-status";

/**
 * A delegated connection's refresh token: when it was last used, and when it would stop working —
 * 90 days without use, or sooner under a Conditional Access sign-in frequency learned from AADSTS70043.
 */
export function RefreshTokenLifetime({ connection, now = new Date() }: { connection: ConnectionView; now?: Date }) {
  const e = refreshTokenExpiry(connection, now);
  const frequency = e.reason.startsWith("a Conditional Access");
  return (
    <p
      className={e.window ? "tight warn-text" : "hint"}
      data-testid={`refresh-token-${connection.account}`}
      data-window={String(e.window)}
    >
      Refresh token last used {formatUtc(e.lastUsedAt.toISOString(), "minute")}.{" "}
      {frequency
        ? `The sign-in ${describeExpiry(e)}: ${e.reason}; Re-Authorize before then.`
        : `Unused, it ${describeExpiry(e)} (${REFRESH_TOKEN_IDLE_DAYS} days of inactivity); every refresh — the health monitor's or Test Email Configuration's — restarts that.`}
    </p>
  );
}
