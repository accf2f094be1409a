import { describe, expect, it } from "vitest";
import { appRegistrationsUrl, exchangeAppScope, resolveCloud } from "@/lib/microsoft/client-safe/clouds";

describe("appRegistrationsUrl", () => {
  it("opens the app registrations of the saved cloud's Azure portal", () => {
    expect(appRegistrationsUrl("global")).toBe(
      "https://portal.azure.com/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade",
    );
    expect(appRegistrationsUrl("usgov")).toMatch(/^https:\/\/portal\.azure\.us\//);
    expect(appRegistrationsUrl("china")).toMatch(/^https:\/\/portal\.azure\.cn\//);
  });
  it("uses the global portal for a Custom cloud or an unknown value", () => {
    expect(appRegistrationsUrl("custom")).toMatch(/^https:\/\/portal\.azure\.com\//);
    expect(appRegistrationsUrl("nonsense")).toMatch(/^https:\/\/portal\.azure\.com\//);
  });
});

describe("the Exchange resource of app-only (client credentials) tokens", () => {
  const scopeOf = (msCloud: string, customOutlookResource: string | null = null) =>
    exchangeAppScope(resolveCloud({ msCloud, customAuthority: null, customOutlookResource }).exchangeAppResource);

  it("Global, US Government GCC High and DoD, China: each cloud's Exchange Online resource + /.default", () => {
    expect(scopeOf("global")).toBe("https://outlook.office365.com/.default");
    expect(scopeOf("usgov")).toBe("https://outlook.office365.us/.default");
    expect(scopeOf("usgovdod")).toBe("https://outlook-dod.office365.us/.default");
    expect(scopeOf("china")).toBe("https://partner.outlook.cn/.default");
  });

  it("Custom: the configured Outlook resource (a trailing slash dropped)", () => {
    expect(scopeOf("custom", "https://outlook.office.com/")).toBe("https://outlook.office.com/.default");
  });
});
