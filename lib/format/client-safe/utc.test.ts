import { describe, expect, it } from "vitest";
import { formatUtc } from "@/lib/format/client-safe/utc";

describe("formatUtc", () => {
  const at = new Date("2026-12-01T07:34:02.123Z");
  it("formats a Date to the second by default", () => {
    expect(formatUtc(at)).toBe("2026-12-01 07:34:02 UTC");
  });
  it("formats to the minute", () => {
    expect(formatUtc(at, "minute")).toBe("2026-12-01 07:34 UTC");
  });
  it("takes the ISO string a server component passed to a client one", () => {
    expect(formatUtc(at.toISOString(), "minute")).toBe("2026-12-01 07:34 UTC");
  });
});
