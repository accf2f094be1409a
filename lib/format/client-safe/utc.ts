/**
 * The one date format of the admin pages: UTC, "2026-12-01 07:34 UTC" (minute) or
 * "2026-12-01 07:34:02 UTC" (second). Client-safe: takes a Date or the ISO string a server part passed.
 */
export function formatUtc(at: Date | string, precision: "minute" | "second" = "second"): string {
  const iso = typeof at === "string" ? at : at.toISOString();
  return `${iso.replace("T", " ").slice(0, precision === "minute" ? 16 : 19)} UTC`;
}
