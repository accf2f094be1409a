import { describe, expect, it } from "vitest";
import { authorizeScopes, grantedResourceScopes, grantsRole, resourceScopes, roleScope } from "@/lib/microsoft/scopes";

const outlook = "https://outlook.office.com";

describe("scopes", () => {
  it("Outlook-resource scopes, SMTP first, plus the OpenID ones for Authorize", () => {
    expect(roleScope(`${outlook}/`, "smtp")).toBe("https://outlook.office.com/SMTP.Send");
    expect(resourceScopes(outlook, ["imap", "smtp"])).toEqual([
      "https://outlook.office.com/SMTP.Send",
      "https://outlook.office.com/IMAP.AccessAsUser.All",
    ]);
    expect(authorizeScopes(outlook, ["imap"])).toEqual([
      "https://outlook.office.com/IMAP.AccessAsUser.All",
      "offline_access",
      "openid",
      "profile",
      "email",
    ]);
  });

  it("a grant covers a role by its full or bare scope, case-insensitively", () => {
    expect(grantsRole("https://OUTLOOK.office.com/smtp.send openid", outlook, "smtp")).toBe(true);
    expect(grantsRole("IMAP.AccessAsUser.All", outlook, "imap")).toBe(true);
    expect(grantsRole("https://outlook.office.com/SMTP.Send", outlook, "imap")).toBe(false);
    expect(grantsRole("https://outlook.office365.us/SMTP.Send", outlook, "smtp")).toBe(false);
  });

  it("the granted resource scopes leave out the OpenID ones", () => {
    expect(grantedResourceScopes("openid  profile https://outlook.office.com/SMTP.Send offline_access")).toEqual([
      "https://outlook.office.com/SMTP.Send",
    ]);
  });
});
