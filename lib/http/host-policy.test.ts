import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { originsForRequest } from "@/lib/http/host-policy";

const request = (host: string | undefined) => ({ headers: { host } }) as unknown as IncomingMessage;
const edge = (setupOpen: boolean) => ({
  trustedOrigins: [
    "https://localhost:3443",
    "https://127.0.0.1:3443",
    "https://[::1]:3443",
    "https://mail.contoso.com",
  ],
  identityOrigin: null,
  setupOpen,
});

describe("originsForRequest", () => {
  it("answers the trusted hosts (case-insensitively) and nothing else once an administrator exists", () => {
    expect(originsForRequest(request("localhost:3443"), edge(false))).toEqual(edge(false).trustedOrigins);
    expect(originsForRequest(request("MAIL.contoso.com"), edge(false))).toEqual(edge(false).trustedOrigins);
    for (const host of [
      "evil.test",
      "localhost:3444",
      "mail.contoso.com:3443",
      "",
      undefined,
      "localhost:3443@evil.test",
    ]) {
      expect(originsForRequest(request(host), edge(false)), String(host)).toBeNull();
    }
  });

  it("while setup is open, answers a well-formed DNS name and trusts its own https origin", () => {
    expect(originsForRequest(request("mail.fabrikam.com:3443"), edge(true))).toContain(
      "https://mail.fabrikam.com:3443",
    );
    for (const host of ["a b", "evil.test/x", "x\r\ny", "", "a".repeat(300)]) {
      expect(originsForRequest(request(host), edge(true)), host).toBeNull();
    }
  });
});
