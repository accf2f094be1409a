import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * How a webhook receiver knows an alert came from this Mail Connect: the JSON body is signed with
 * HMAC-SHA256 over `<timestamp>.<body>` with the shared secret. Headers:
 *   X-Mail-Connect-Timestamp: <unix seconds>
 *   X-Mail-Connect-Signature: sha256=<hex>
 * A receiver recomputes the HMAC, compares in constant time, and refuses old timestamps (replays).
 */
export const SIGNATURE_HEADER = "X-Mail-Connect-Signature";
export const TIMESTAMP_HEADER = "X-Mail-Connect-Timestamp";
export const EVENT_HEADER = "X-Mail-Connect-Event";

export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/** The receiver's side (tests use it; a receiver in Node can copy it). `toleranceSeconds`: default 5 minutes. */
export function verifyWebhook(
  secret: string,
  headers: { signature: string | null | undefined; timestamp: string | null | undefined },
  body: string,
  options: { nowSeconds?: number; toleranceSeconds?: number } = {},
): boolean {
  const ts = Number(headers.timestamp);
  if (!headers.signature || !Number.isSafeInteger(ts)) return false;
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - ts) > (options.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signWebhook(secret, ts, body));
  const given = Buffer.from(headers.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
