import { describe, expect, it } from "vitest";
import { trustedHosts, trustedOriginList } from "@/lib/http/origins";

describe("trustedOriginList", () => {
  it("is exactly the loopback origins of the port, the Server Base URL's origin and APP_ORIGINS", () => {
    expect(
      trustedOriginList({
        port: 3443,
        serverBaseUrl: "https://mail.contoso.com/some/path",
        appOrigins: " https://admin.contoso.com , https://x.contoso.com:8443/ ,, not a url, javascript:alert(1)",
      }),
    ).toEqual([
      "https://localhost:3443",
      "https://127.0.0.1:3443",
      "https://[::1]:3443",
      "https://mail.contoso.com",
      "https://admin.contoso.com",
      "https://x.contoso.com:8443",
    ]);
  });

  it("never contains a wildcard or another port", () => {
    const list = trustedOriginList({ port: 7543, serverBaseUrl: null, appOrigins: undefined });
    expect(list).toEqual(["https://localhost:7543", "https://127.0.0.1:7543", "https://[::1]:7543"]);
    expect(list.join(" ")).not.toContain("*");
  });

  it("gives the Host values those origins stand for", () => {
    const hosts = trustedHosts(
      trustedOriginList({ port: 3443, serverBaseUrl: "https://mail.contoso.com", appOrigins: "" }),
    );
    expect([...hosts]).toEqual(["localhost:3443", "127.0.0.1:3443", "[::1]:3443", "mail.contoso.com"]);
  });
});
