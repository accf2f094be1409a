import { describe, expect, it } from "vitest";
import { describeInterval, translateMicrosoftError } from "@/lib/microsoft/errors/translate";

/**
 * The Microsoft errors of issue 13, section 4, as Microsoft's token endpoint or authorize redirect
 * words them (descriptions as the sandbox sends them, which follow public reports of real answers).
 */
const tail =
  "\r\nTrace ID: 1b2c\r\nCorrelation ID: 0f8fad5b-d9cb-469f-a165-70867728950e\r\nTimestamp: 2026-12-01 10:00:00Z";

describe("section 4 translations", () => {
  it("AADSTS70043: re-authorize, and it will happen again at the policy's interval", () => {
    const t = translateMicrosoftError({
      error: "invalid_grant",
      suberror: "token_expired",
      description: `AADSTS70043: The refresh token has expired or is invalid due to sign-in frequency checks by conditional access. The token was issued on 2026-11-30T09:00:00.0000000Z and the maximum allowed lifetime for this request is 86400.${tail}`,
    });
    expect(t).toMatchObject({ code: "AADSTS70043", needsReauth: true });
    expect(t.summary).toBe(
      "The stored Microsoft sign-in expired: a Conditional Access sign-in frequency policy requires signing in again every 1 day (AADSTS70043).",
    );
    expect(t.fix).toContain("Click Re-Authorize");
    expect(t.fix).toContain("It will happen again 1 day after each sign-in while the policy applies");
    expect(translateMicrosoftError({ code: 70043 }).fix).toContain("at the policy's interval");
  });

  it("describes intervals in words", () => {
    expect(describeInterval(43200)).toBe("12 hours");
    expect(describeInterval(2592000)).toBe("30 days");
    expect(describeInterval(5400)).toBe("90 minutes");
    expect(describeInterval(1)).toBe("1 second");
  });

  it("AADSTS500112: both redirect URIs, the Server Base URL and the proxy", () => {
    const t = translateMicrosoftError(
      {
        error: "invalid_grant",
        description: `AADSTS500112: The reply address 'http://app.internal:3000/flexdeploy/rest/v2/oauth' does not match the reply address 'https://mail.example.com/flexdeploy/rest/v2/oauth' provided when requesting Authorization code.${tail}`,
      },
      { redirectUri: "https://mail.example.com/flexdeploy/rest/v2/oauth" },
    );
    expect(t.summary).toBe(
      "The redirect URI sent to redeem the sign-in code (http://app.internal:3000/flexdeploy/rest/v2/oauth) is not the one the sign-in started with (https://mail.example.com/flexdeploy/rest/v2/oauth) (AADSTS500112).",
    );
    expect(t.fix).toContain("reverse proxy");
    expect(t.fix).toContain("Server Base URL");
    expect(t.needsReauth).toBe(false);
  });

  it("AADSTS53003: blocked by Conditional Access, the sign-in logs with the correlation id", () => {
    const t = translateMicrosoftError({
      error: "invalid_grant",
      suberror: "message_only",
      description: `AADSTS53003: Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.${tail}`,
    });
    expect(t).toMatchObject({ code: "AADSTS53003", needsReauth: true });
    expect(t.fix).toContain("Sign-in logs, correlation id 0f8fad5b-d9cb-469f-a165-70867728950e");
  });

  it("AADSTS50076 / 50079: an interactive sign-in is needed (Re-Authorize)", () => {
    const mfa = translateMicrosoftError({ error: "invalid_grant", suberror: "basic_action", code: 50076 });
    expect(mfa).toMatchObject({ code: "AADSTS50076", needsReauth: true });
    expect(mfa.fix).toMatch(/^An interactive sign-in is needed: click Re-Authorize/);
    const enroll = translateMicrosoftError({ error: "invalid_grant", code: 50079 });
    expect(enroll.summary).toContain("register for multi-factor authentication (AADSTS50079)");
    expect(enroll.needsReauth).toBe(true);
  });

  it("AADSTS65001: consent missing, with the admin-consent link", () => {
    const t = translateMicrosoftError(
      { code: 65001 },
      { adminConsentUrl: "https://login.test/t/adminconsent?client_id=x" },
    );
    expect(t).toMatchObject({
      needsReauth: true,
      link: { href: "https://login.test/t/adminconsent?client_id=x", label: "Grant admin consent" },
    });
  });

  it("AADSTS50020: the account is not in the tenant", () => {
    const t = translateMicrosoftError({ error: "invalid_request", code: 50020 }, { tenant: "contoso.com" });
    expect(t.summary).toBe("The account that signed in is not a member of the tenant contoso.com (AADSTS50020).");
    expect(t.fix).toContain("invited as a guest");
  });

  it("AADSTS7000112: the app is disabled; enable its service principal", () => {
    const t = translateMicrosoftError(
      { error: "unauthorized_client", description: "AADSTS7000112: Application 'abc'(Mail) is disabled." },
      { clientId: "abc" },
    );
    expect(t.summary).toBe("The app registration (Client Id abc) is disabled in the tenant (AADSTS7000112).");
    expect(t.fix).toContain("Enabled for users to sign-in?");
    expect(t.fix).toContain("-AccountEnabled:$true");
    expect(t.needsReauth).toBe(false);
  });

  it("AADSTS50057: the user is disabled; AADSTS700016: the app is not in the tenant (Client Id, tenant, cloud)", () => {
    expect(translateMicrosoftError({ error: "invalid_grant", code: 50057 })).toMatchObject({
      summary: "The Microsoft account is disabled (AADSTS50057).",
      needsReauth: true,
    });
    const missing = translateMicrosoftError({ code: 700016 }, { clientId: "abc", tenant: "contoso.com" });
    expect(missing.summary).toBe("The app (Client Id abc) was not found in the tenant contoso.com (AADSTS700016).");
    expect(missing.fix).toContain("the Cloud");
  });
});
