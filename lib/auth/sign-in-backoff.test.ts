import { describe, expect, it } from "vitest";
import {
  countedFailures,
  FIRST_WAIT_MS,
  FORGET_AFTER_MS,
  MAX_WAIT_MS,
  normalisedEmail,
  remainingWait,
  waitAfter,
} from "@/lib/auth/sign-in-backoff";

const t0 = new Date("2026-12-02T08:00:00Z");
const at = (ms: number) => new Date(t0.getTime() + ms);

describe("per-account sign-in backoff", () => {
  it("lets the first 5 failures through without a wait", () => {
    for (let failures = 0; failures < 5; failures++) expect(waitAfter(failures)).toBe(0);
  });

  it("waits after the 5th failure, doubling, capped at 15 minutes", () => {
    expect([5, 6, 7, 8, 9, 10, 11].map(waitAfter)).toEqual([
      30_000,
      60_000,
      120_000,
      240_000,
      480_000,
      MAX_WAIT_MS,
      MAX_WAIT_MS,
    ]);
    expect(waitAfter(10_000)).toBe(MAX_WAIT_MS);
  });

  it("never locks out for good: the wait ends, and a day without failures forgets them", () => {
    const state = { failures: 1000, lastFailureAt: t0 };
    expect(remainingWait(state, at(1000))).toBe(MAX_WAIT_MS - 1000);
    expect(remainingWait(state, at(MAX_WAIT_MS))).toBe(0);
    expect(countedFailures(state, at(FORGET_AFTER_MS - 1))).toBe(1000);
    expect(countedFailures(state, at(FORGET_AFTER_MS))).toBe(0);
  });

  it("measures the wait from the latest failure", () => {
    const state = { failures: 5, lastFailureAt: t0 };
    expect(remainingWait(state, t0)).toBe(FIRST_WAIT_MS);
    expect(remainingWait(state, at(FIRST_WAIT_MS - 1))).toBe(1);
    expect(remainingWait(state, at(FIRST_WAIT_MS))).toBe(0);
    expect(remainingWait(null, t0)).toBe(0);
    expect(remainingWait({ failures: 4, lastFailureAt: t0 }, t0)).toBe(0);
  });

  it("counts per normalised e-mail", () => {
    expect(normalisedEmail("  Admin@Contoso.TEST ")).toBe("admin@contoso.test");
    expect(normalisedEmail(undefined)).toBe("");
  });
});
