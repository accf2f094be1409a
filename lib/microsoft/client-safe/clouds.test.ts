import { describe, expect, it } from "vitest";
import { appRegistrationsUrl } from "@/lib/microsoft/client-safe/clouds";

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
