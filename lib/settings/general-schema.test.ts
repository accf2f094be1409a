import { describe, expect, it } from "vitest";
import { generalSettingsSchema, serverBaseUrlField } from "@/lib/settings/client-safe/general-schema";
import { buildRedirectUri, OAUTH_CALLBACK_PATH } from "@/lib/settings/client-safe/redirect-uri";

const parse = (v: string) => serverBaseUrlField.safeParse(v);
const message = (v: string) => {
  const r = parse(v);
  return r.success ? null : r.error.issues[0].message;
};

describe("Server Base URL", () => {
  it("accepts https URLs and normalises trailing slashes", () => {
    expect(parse("https://mail.contoso.com/").data).toBe("https://mail.contoso.com");
    expect(parse("  https://mail.contoso.com:8443/app///  ").data).toBe("https://mail.contoso.com:8443/app");
    expect(parse("HTTPS://Mail.Contoso.com").data).toBe("https://mail.contoso.com");
  });

  it("refuses http except for localhost, 127.0.0.1 and [::1]", () => {
    expect(message("http://mail.contoso.com")).toMatch(/must use HTTPS/);
    expect(parse("http://localhost:3443").data).toBe("http://localhost:3443");
    expect(parse("http://127.0.0.1:3443/").data).toBe("http://127.0.0.1:3443");
    expect(parse("http://[::1]:3443").data).toBe("http://[::1]:3443");
    expect(message("http://localhost.evil.com")).toMatch(/must use HTTPS/);
  });

  it("refuses queries, fragments, credentials, other schemes, relative and over-long URLs", () => {
    expect(message("https://mail.contoso.com/?a=1")).toMatch(/query/);
    expect(message("https://mail.contoso.com/#top")).toMatch(/fragment/);
    expect(message("https://user:pw@mail.contoso.com")).toMatch(/user name or password/);
    expect(message("ftp://mail.contoso.com")).toMatch(/https/);
    expect(message("mail.contoso.com")).toMatch(/absolute URL/);
    expect(message("")).toMatch(/required/);
    expect(message(`https://contoso.com/${"a".repeat(200)}`)).toMatch(/at most 200/);
  });

  it("parses the whole form with its version", () => {
    expect(generalSettingsSchema.parse({ serverBaseUrl: "https://a.contoso.com/", version: "3" })).toEqual({
      serverBaseUrl: "https://a.contoso.com",
      version: 3,
    });
    expect(generalSettingsSchema.safeParse({ version: 0 }).success).toBe(false);
  });
});

describe("redirect URI", () => {
  it("is the base URL plus the FlexDeploy callback path, exactly once", () => {
    expect(OAUTH_CALLBACK_PATH).toBe("/flexdeploy/rest/v2/oauth");
    expect(buildRedirectUri("https://mail.contoso.com")).toBe("https://mail.contoso.com/flexdeploy/rest/v2/oauth");
    expect(buildRedirectUri("https://mail.contoso.com/")).toBe("https://mail.contoso.com/flexdeploy/rest/v2/oauth");
    expect(buildRedirectUri("https://contoso.com/tools")).toBe("https://contoso.com/tools/flexdeploy/rest/v2/oauth");
  });
});
