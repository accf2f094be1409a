/**
 * Per-account sign-in backoff, besides the per-address limit: the first 5 failures cost nothing;
 * after that each further attempt must wait, 30 seconds after the 5th failure, doubling with each
 * further failure, at most 15 minutes. Never permanent: the wait always ends, failures are forgotten
 * after a day without one, and a successful sign-in clears them. Attempts refused during a wait are
 * not counted (they cannot extend it).
 */
export const FREE_FAILURES = 5;
export const FIRST_WAIT_MS = 30_000;
export const MAX_WAIT_MS = 15 * 60_000;
export const FORGET_AFTER_MS = 24 * 60 * 60_000;

export type BackoffState = { failures: number; lastFailureAt: Date };

/** How long after the latest failure the next attempt must wait, given the number of failures. */
export function waitAfter(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  const doublings = failures - FREE_FAILURES;
  // 2^doublings grows past the cap after a few steps: stop before overflowing to Infinity.
  return doublings >= 20 ? MAX_WAIT_MS : Math.min(FIRST_WAIT_MS * 2 ** doublings, MAX_WAIT_MS);
}

/** The failures that still count at `now` (0 once a day passed since the last one). */
export function countedFailures(state: BackoffState | null, now: Date): number {
  if (!state) return 0;
  return now.getTime() - state.lastFailureAt.getTime() >= FORGET_AFTER_MS ? 0 : state.failures;
}

/** Milliseconds the account must still wait at `now` before an attempt is checked (0: it may try now). */
export function remainingWait(state: BackoffState | null, now: Date): number {
  if (!state) return 0;
  const until = state.lastFailureAt.getTime() + waitAfter(countedFailures(state, now));
  return Math.max(0, until - now.getTime());
}

/** The account's e-mail as counted: trimmed, lower-cased (the sign-in form does the same). */
export function normalisedEmail(email: unknown): string {
  return typeof email === "string" ? email.trim().toLowerCase() : "";
}
