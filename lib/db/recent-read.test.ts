import { afterEach, describe, expect, it, vi } from "vitest";
import { forgetRecentRead, recentRead } from "@/lib/db/recent-read";

describe("recentRead", () => {
  afterEach(() => {
    vi.useRealTimers();
    forgetRecentRead("k");
  });

  it("reads once within maxAgeMs, again after it, and at once after forgetRecentRead", async () => {
    vi.useFakeTimers();
    let reads = 0;
    const read = () => Promise.resolve(++reads);
    expect(await recentRead("k", 1000, read)).toBe(1);
    vi.advanceTimersByTime(999);
    expect(await recentRead("k", 1000, read)).toBe(1);
    vi.advanceTimersByTime(1);
    expect(await recentRead("k", 1000, read)).toBe(2);
    forgetRecentRead("k");
    expect(await recentRead("k", 1000, read)).toBe(3);
    expect(reads).toBe(3);
  });

  it("shares one read between callers that ask while it runs, and keeps no failed read", async () => {
    let reads = 0;
    const failing = () => {
      reads++;
      return Promise.reject(new Error("database unavailable"));
    };
    const [a, b] = [recentRead("k", 1000, failing), recentRead("k", 1000, failing)];
    await expect(a).rejects.toThrow("database unavailable");
    await expect(b).rejects.toThrow("database unavailable");
    expect(reads).toBe(1);
    expect(await recentRead("k", 1000, () => Promise.resolve("read again"))).toBe("read again");
  });
});
