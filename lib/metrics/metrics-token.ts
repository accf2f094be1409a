import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Who may read /api/metrics: a bearer token equal to METRICS_TOKEN. "disabled" when it is unset (the
 * route answers 404, as if it did not exist); the comparison takes the same time whatever the token
 * (both sides hashed to 32 bytes, then compared in constant time).
 */
export function metricsAccess(authorization: string | null): "disabled" | "refused" | "allowed" {
  const expected = process.env.METRICS_TOKEN;
  if (!expected) return "disabled";
  const presented = /^Bearer\s+(.+)$/i.exec(authorization ?? "")?.[1]?.trim() ?? "";
  const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();
  return presented !== "" && timingSafeEqual(digest(presented), digest(expected)) ? "allowed" : "refused";
}
