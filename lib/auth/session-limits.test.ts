import { describe, expect, it } from "vitest";
import { ABSOLUTE_LIFETIME_MS, activityWriteDue, IDLE_TIMEOUT_MS, sessionEnd } from "@/lib/auth/session-limits";

const t0 = new Date("2026-12-02T08:00:00Z");
const at = (ms: number) => new Date(t0.getTime() + ms);

describe("session limits", () => {
  it("keeps a session used within the last 30 minutes", () => {
    expect(sessionEnd({ createdAt: t0, lastActiveAt: at(60 * 60_000) }, at(60 * 60_000 + IDLE_TIMEOUT_MS - 1))).toBe(
      null,
    );
  });

  it("ends a session idle for 30 minutes, measured from the last activity (or the sign-in)", () => {
    expect(sessionEnd({ createdAt: t0, lastActiveAt: at(60_000) }, at(60_000 + IDLE_TIMEOUT_MS))).toBe("idle");
    expect(sessionEnd({ createdAt: t0, lastActiveAt: null }, at(IDLE_TIMEOUT_MS))).toBe("idle");
    expect(sessionEnd({ createdAt: t0, lastActiveAt: null }, at(IDLE_TIMEOUT_MS - 1))).toBe(null);
  });

  it("ends a session 12 hours after sign-in however active it is", () => {
    const now = at(ABSOLUTE_LIFETIME_MS);
    expect(sessionEnd({ createdAt: t0, lastActiveAt: at(ABSOLUTE_LIFETIME_MS - 1000) }, now)).toBe("absolute");
    expect(
      sessionEnd({ createdAt: t0, lastActiveAt: at(ABSOLUTE_LIFETIME_MS - 1000) }, at(ABSOLUTE_LIFETIME_MS - 1)),
    ).toBe(null);
  });

  it("tells the absolute limit first when both are past", () => {
    expect(sessionEnd({ createdAt: t0, lastActiveAt: null }, at(ABSOLUTE_LIFETIME_MS + 1))).toBe("absolute");
  });

  it("writes activity at most once a minute", () => {
    expect(activityWriteDue(null, t0)).toBe(true);
    expect(activityWriteDue(t0, at(59_999))).toBe(false);
    expect(activityWriteDue(t0, at(60_000))).toBe(true);
  });
});
