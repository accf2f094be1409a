/**
 * Exchange Online's sending limits (Microsoft: "Exchange Online limits", Sending limits), which the
 * relay enforces itself with a temporary refusal before Microsoft would, and the relay's defaults.
 * Client-safe: the Relay page shows them.
 */
export const EXCHANGE_LIMITS = {
  /** Messages a mailbox may submit per minute. */
  messagesPerMinute: 30,
  /** Recipients a mailbox may send to per day (rolling 24 hours at Microsoft; per UTC day here). */
  recipientsPerDay: 10_000,
  /** Recipients of one message. */
  recipientsPerMessage: 500,
  /** Message size (35 MB, headers and encoding included). */
  maxMessageBytes: 35 * 1024 * 1024,
} as const;

/** How often every instance reads the Relay page's on/off switch. */
export const RELAY_POLL_MS = 5_000;

export const RELAY_DEFAULTS = { port: 2525, host: "127.0.0.1", ratePerMinute: 30 } as const;

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / (1024 * 1024)) * 10) / 10} MB`;
  if (n >= 1024) return `${Math.round((n / 1024) * 10) / 10} KB`;
  return `${n} bytes`;
}
