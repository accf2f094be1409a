import { describe, expect, it } from "vitest";
import {
  appRegistrationsUrl,
  exchangeAppScope,
  graphAppScope,
  graphSendScope,
  resolveCloud,
} from "@/lib/microsoft/client-safe/clouds";

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

describe("Microsoft Graph per cloud (the Graph transport)", () => {
  const graphOf = (msCloud: string, customGraphHost: string | null = null) =>
    resolveCloud({ msCloud, customAuthority: null, customOutlookResource: null, customGraphHost });

  it("each national cloud's Graph host is where sendMail goes and the resource its scopes name", () => {
    expect(graphOf("global").graphEndpoint).toBe("https://graph.microsoft.com");
    expect(graphOf("usgov").graphEndpoint).toBe("https://graph.microsoft.us");
    expect(graphOf("usgovdod").graphEndpoint).toBe("https://dod-graph.microsoft.us");
    expect(graphOf("china").graphEndpoint).toBe("https://microsoftgraph.chinacloudapi.cn");
    expect(graphSendScope(graphOf("usgov").graphResource, false)).toBe("https://graph.microsoft.us/Mail.Send");
    expect(graphSendScope(graphOf("china").graphResource, true)).toBe(
      "https://microsoftgraph.chinacloudapi.cn/Mail.Send.Shared",
    );
    expect(graphAppScope(graphOf("usgovdod").graphResource)).toBe("https://dod-graph.microsoft.us/.default");
  });

  it("Custom: the Graph host field (trailing slash dropped), scopes for the global Graph resource", () => {
    const custom = graphOf("custom", "https://127.0.0.1:8443/");
    expect(custom.graphEndpoint).toBe("https://127.0.0.1:8443");
    expect(graphSendScope(custom.graphResource, false)).toBe("https://graph.microsoft.com/Mail.Send");
  });
});
