import { describe, expect, it } from "vitest";
import { DEFAULT_RETURN_PATH, safeReturnPath } from "@/lib/auth/return-path";

describe("safeReturnPath", () => {
  it.each([
    ["/settings/audit", "/settings/audit"],
    ["/settings/general?x=1#top", "/settings/general?x=1#top"],
    ["/settings", "/settings"],
    ["/settings/email/../audit", "/settings/audit"],
  ])("keeps the admin page %s", (next, expected) => {
    expect(safeReturnPath(next)).toBe(expected);
  });

  it.each([
    ["tab", "/\t/evil.test"],
    ["encoded tab", "/%09/evil.test"],
    ["CR/LF", "/\r\n/evil.test"],
    ["encoded CR/LF", "/%0d%0aSet-Cookie:x=1"],
    ["backslash", "/\\evil.test"],
    ["encoded backslash", "/%5cevil.test"],
    ["protocol-relative", "//evil.test"],
    ["absolute https", "https://evil.test/settings/email"],
    ["scheme", "javascript:alert(1)"],
    ["encoded slashes", "/%2f%2fevil.test"],
    ["dot segments out of /settings", "/settings/../api/health"],
    ["encoded dot segments", "/settings/%2e%2e/api/health"],
    ["not an admin page", "/api/oauth/authorize"],
    ["malformed escape", "/settings/%E0%A4%A"],
    ["non-ASCII", "/settingsé"],
    ["non-breaking space", "/settings/\u00a0"],
    ["empty", ""],
    ["a number", 42],
    ["missing", undefined],
    ["too long", `/settings/${"a".repeat(3000)}`],
  ])("refuses %s", (_name, next) => {
    expect(safeReturnPath(next)).toBe(DEFAULT_RETURN_PATH);
  });

  it("returns ASCII for a unicode admin path (safe in a Location header)", () => {
    const result = safeReturnPath("/settings/émail");
    expect(result).toBe("/settings/%C3%A9mail");
    expect(/^[\x21-\x7e]+$/.test(result)).toBe(true);
  });

  it("never sends the browser to another origin, whatever the input", () => {
    const samples = ["/", "//", "\\", "\t", "%09", "%2f", "%5c", "https:", "evil.test", "@", "..", "/settings/", "%2e"];
    for (let i = 0; i < 2000; i++) {
      let next = "";
      for (let j = 0; j < 4; j++) next += samples[(i * 7 + j * 13 + ((i >> j) & 5)) % samples.length];
      const result = safeReturnPath(next);
      expect(new URL(result, "https://app.example").origin).toBe("https://app.example");
      expect(result.startsWith("/settings")).toBe(true);
    }
  });
});
