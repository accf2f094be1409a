/**
 * When an administrator's session ends, measured on the server: 30 minutes without a request (idle)
 * or 12 hours after sign-in (absolute), whichever comes first. The guard records activity on every
 * page, action and route request, at most once a minute per session (ACTIVITY_WRITE_INTERVAL_MS).
 */
export const IDLE_TIMEOUT_MS = 30 * 60_000;
export const ABSOLUTE_LIFETIME_MS = 12 * 60 * 60_000;
export const ACTIVITY_WRITE_INTERVAL_MS = 60_000;

export type SessionEnd = "idle" | "absolute";

export type SessionTimes = { createdAt: Date; lastActiveAt: Date | null };

/** Why the session has ended at `now`, or null while it is still valid (the absolute limit is told first). */
export function sessionEnd(session: SessionTimes, now: Date): SessionEnd | null {
  if (now.getTime() - session.createdAt.getTime() >= ABSOLUTE_LIFETIME_MS) return "absolute";
  const lastActive = session.lastActiveAt ?? session.createdAt;
  if (now.getTime() - lastActive.getTime() >= IDLE_TIMEOUT_MS) return "idle";
  return null;
}

/** Whether this request should write the session's activity (throttled to once a minute). */
export function activityWriteDue(lastActiveAt: Date | null, now: Date): boolean {
  return !lastActiveAt || now.getTime() - lastActiveAt.getTime() >= ACTIVITY_WRITE_INTERVAL_MS;
}

/** What the sign-in page says after the session ended (`?ended=idle|absolute`). */
export const SESSION_END_MESSAGES: Record<SessionEnd, string> = {
  idle: "You were signed out after 30 minutes without activity. Sign in again.",
  absolute: "You were signed out after 12 hours; sign in again.",
};
