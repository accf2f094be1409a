import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";

/**
 * The operator's bearer token for machine endpoints (/api/metrics, and /api/health's version): the
 * `METRICS_TOKEN` environment variable. Returns whether the request carries it (`Authorization: Bearer …`);
 * false when the variable is unset or blank. Compared in constant time (hashes of equal length).
 */
export function hasMetricsToken(headers: Headers, env: Record<string, string | undefined> = process.env): boolean {
  const expected = env.METRICS_TOKEN?.trim();
  if (!expected) return false;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(headers.get("authorization") ?? "");
  if (!m) return false;
  const digest = (v: string) => createHash("sha256").update(v, "utf8").digest();
  return timingSafeEqual(digest(m[1]!), digest(expected));
}

/** Whether the bearer-token endpoints exist at all (`METRICS_TOKEN` set). */
export function metricsTokenConfigured(env: Record<string, string | undefined> = process.env): boolean {
  return Boolean(env.METRICS_TOKEN?.trim());
}
