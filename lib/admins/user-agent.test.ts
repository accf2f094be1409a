import { describe, expect, it } from "vitest";
import { readableAddress, readableUserAgent } from "@/lib/admins/user-agent";

describe("readableUserAgent", () => {
  it("names the browser, its major version and the system", () => {
    const chrome =
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.7300.1 Safari/537.36";
    expect(readableUserAgent(chrome)).toBe("Chrome 156 on Linux (desktop)");
    const iphone =
      "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";
    expect(readableUserAgent(iphone)).toMatch(/^Safari 18 on iOS .*\(mobile\)$/);
  });

  it("says so when there is none, and keeps an unknown one short", () => {
    expect(readableUserAgent(null)).toBe("Unknown device");
    expect(readableUserAgent("  ")).toBe("Unknown device");
    expect(readableUserAgent(`curl-like/${"x".repeat(200)}`).length).toBeLessThanOrEqual(80);
  });

  it("shows addresses compactly", () => {
    expect(readableAddress("0000:0000:0000:0000:0000:0000:0000:0000")).toBe("::");
    expect(readableAddress("2001:0db8:0000:0000:0000:0000:0000:0001")).toBe("2001:db8::1");
    expect(readableAddress("127.0.0.1")).toBe("127.0.0.1");
    expect(readableAddress(null)).toBe("unknown");
    expect(readableAddress("not:an:[address")).toBe("not:an:[address");
  });
});
