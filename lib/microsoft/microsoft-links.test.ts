import { describe, expect, it } from "vitest";
import { adminConsentUrl, microsoftLogoutUrl } from "@/lib/microsoft/microsoft-links";

const s = {
  msCloud: "global",
  customAuthority: null,
  customOutlookResource: null,
  msTenantId: "contoso.onmicrosoft.com",
  msClientId: "11111111-2222-3333-4444-555555555555",
};

describe("Microsoft links", () => {
  it("admin consent for the tenant and client, with the exact redirect URI", () => {
    expect(adminConsentUrl(s, "https://mail.contoso.com/")).toBe(
      "https://login.microsoftonline.com/contoso.onmicrosoft.com/adminconsent?client_id=11111111-2222-3333-4444-555555555555&redirect_uri=https%3A%2F%2Fmail.contoso.com%2Fflexdeploy%2Frest%2Fv2%2Foauth",
    );
    expect(adminConsentUrl(s, null)).toBeNull();
    expect(adminConsentUrl({ ...s, msClientId: null }, "https://mail.contoso.com")).toBeNull();
  });

  it("sign-out at the cloud's authority, common without a tenant", () => {
    expect(microsoftLogoutUrl({ ...s, msTenantId: null, msCloud: "usgov" })).toBe(
      "https://login.microsoftonline.us/common/oauth2/v2.0/logout",
    );
    expect(
      microsoftLogoutUrl({
        ...s,
        msCloud: "custom",
        customAuthority: "https://127.0.0.1:8443",
        customOutlookResource: "x",
      }),
    ).toBe("https://127.0.0.1:8443/contoso.onmicrosoft.com/oauth2/v2.0/logout");
    expect(microsoftLogoutUrl({ ...s, msCloud: "custom" })).toBeNull();
  });
});
