import { describe, expect, it } from "vitest";
import {
  expectedSignIn,
  isMailRole,
  roleAccount,
  roleMailbox,
  rolesForAccount,
  roleUsesMicrosoft,
  usesMicrosoft,
  type RoleSettings,
} from "@/lib/microsoft/client-safe/mail-roles";

const s: RoleSettings = {
  smtpAuthType: "microsoft",
  smtpUser: "Mailer@Contoso.com",
  smtpSignInAs: null,
  imapUser: "shared@contoso.com",
  imapAuthType: "microsoft",
  imapSignInAs: "Mailer@contoso.com",
};

describe("mail roles", () => {
  it("a role uses Microsoft OAuth by its auth type; the reply mailbox only once its address is set", () => {
    expect(roleUsesMicrosoft(s, "smtp")).toBe(true);
    expect(roleUsesMicrosoft({ ...s, imapUser: null }, "imap")).toBe(false);
    expect(usesMicrosoft({ ...s, smtpAuthType: "password", imapUser: "" })).toBe(false);
    expect(usesMicrosoft({ ...s, smtpAuthType: "none" })).toBe(true);
  });

  it("the mailbox is the XOAUTH2 user; the expected sign-in is the delegate when set", () => {
    expect(roleMailbox(s, "imap")).toBe("shared@contoso.com");
    expect(expectedSignIn(s, "imap")).toBe("Mailer@contoso.com");
    expect(expectedSignIn(s, "smtp")).toBe("Mailer@Contoso.com");
    expect(roleAccount(s, "smtp")).toBe("mailer@contoso.com");
  });

  it("one account serves both roles when both sign in as it", () => {
    expect(rolesForAccount(s, " MAILER@contoso.com ")).toEqual(["smtp", "imap"]);
    expect(rolesForAccount({ ...s, imapSignInAs: null }, "mailer@contoso.com")).toEqual(["smtp"]);
    expect(isMailRole("imap")).toBe(true);
    expect(isMailRole("pop3")).toBe(false);
  });
});
