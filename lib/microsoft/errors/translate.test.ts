import { describe, expect, it } from "vitest";
import { aadstsCode, describeTranslated, translateMicrosoftError } from "@/lib/microsoft/errors/translate";

describe("translateMicrosoftError", () => {
  it("reads the AADSTS number from the code or the description, and the correlation id", () => {
    expect(aadstsCode({ code: 50011 })).toBe("50011");
    expect(aadstsCode({ description: "AADSTS7000215: Invalid client secret provided." })).toBe("7000215");
    const t = translateMicrosoftError({
      error: "invalid_client",
      description: "AADSTS7000215: Invalid client secret provided.\r\nTrace ID: x\r\nCorrelation ID: 0f8fad5b-d9cb",
    });
    expect(t).toMatchObject({
      code: "AADSTS7000215",
      microsoftText: "AADSTS7000215: Invalid client secret provided.",
      correlationId: "0f8fad5b-d9cb",
      needsReauth: false,
    });
    expect(t.fix).toMatch(/Value, not its Secret ID/);
  });

  it("puts the exact redirect URI and the consent link into the fix", () => {
    expect(
      translateMicrosoftError({ code: "50011" }, { redirectUri: "https://a.test/flexdeploy/rest/v2/oauth" }).fix,
    ).toContain("https://a.test/flexdeploy/rest/v2/oauth");
    const consent = translateMicrosoftError({ code: "65001" }, { adminConsentUrl: "https://login.test/consent" });
    expect(consent).toMatchObject({ needsReauth: true, link: { href: "https://login.test/consent" } });
  });

  it("revoked and expired sign-ins need re-authorization; outages do not", () => {
    expect(translateMicrosoftError({ code: "50173" }).needsReauth).toBe(true);
    expect(translateMicrosoftError({ code: "700082" }).needsReauth).toBe(true);
    expect(translateMicrosoftError({ error: "invalid_grant" }).needsReauth).toBe(true);
    expect(translateMicrosoftError({ error: "temporarily_unavailable" }).needsReauth).toBe(false);
  });

  it("unknown errors show Microsoft's own first line", () => {
    const t = translateMicrosoftError({ error: "weird", description: "Something odd\nsecond line" });
    expect(t).toMatchObject({ code: "weird", summary: "Microsoft returned an error (weird)." });
    expect(describeTranslated(t)).toBe("Microsoft returned an error (weird). Microsoft said: Something odd");
  });
});
