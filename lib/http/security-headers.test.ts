import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, newNonce } from "@/lib/http/security-headers";

const directives = (csp: string) => new Map(csp.split("; ").map((d) => [d.split(" ")[0], d.split(" ").slice(1)]));

describe("contentSecurityPolicy", () => {
  it("allows scripts only with the nonce, and no inline styles", () => {
    const csp = directives(contentSecurityPolicy({ nonce: "abc" }));
    expect(csp.get("script-src")).toEqual(["'nonce-abc'", "'strict-dynamic'"]);
    expect(csp.get("style-src")).toEqual(["'self'"]);
    expect(csp.get("object-src")).toEqual(["'none'"]);
    expect(csp.get("base-uri")).toEqual(["'none'"]);
    expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
    expect([...csp.values()].flat()).not.toContain("'unsafe-inline'");
    expect([...csp.values()].flat()).not.toContain("'unsafe-eval'");
  });

  it("lets forms reach this origin and the configured identity platform, once each", () => {
    const csp = directives(
      contentSecurityPolicy({
        nonce: "n",
        formTargets: ["https://login.microsoftonline.com", "https://login.microsoftonline.com"],
      }),
    );
    expect(csp.get("form-action")).toEqual(["'self'", "https://login.microsoftonline.com"]);
  });
});

describe("newNonce", () => {
  it("is fresh and unguessable (128 bits) for each response", () => {
    const a = newNonce();
    const b = newNonce();
    expect(a).not.toBe(b);
    expect(Buffer.from(a, "base64")).toHaveLength(16);
  });
});
