import { describe, expect, it } from "vitest";
import { probesFor } from "@/lib/monitor/probes";
import { EMAIL_DEFAULTS } from "@/lib/settings/email-columns";
import type { MailRole } from "@/lib/microsoft/client-safe/mail-roles";

/** Which mailbox roles the monitor watches: configured, and (signing in to Microsoft as a user) authorized. */
const settings = {
  ...EMAIL_DEFAULTS,
  saved: true,
  smtpHost: "smtp.office365.com",
  smtpUser: "mailer@contoso.com",
  smtpAuthType: "microsoft",
  imapHost: "outlook.office365.com",
  imapUser: "approvals@contoso.com",
  imapAuthType: "microsoft",
};
const account = (email: string, roles: MailRole[], connected: boolean) => ({
  account: email,
  roles,
  connection: connected ? ({ id: email } as never) : null,
});
const roles = (s: typeof settings, accounts: ReturnType<typeof account>[]) =>
  probesFor(s as never, { accounts }).map((p) => p.role);

describe("probesFor", () => {
  it("watches the configured roles whose Microsoft sign-in was authorized", () => {
    expect(
      roles(settings, [
        account("mailer@contoso.com", ["smtp"], true),
        account("approvals@contoso.com", ["imap"], true),
      ]),
    ).toEqual(["smtp", "imap"]);
    expect(
      roles(settings, [
        account("mailer@contoso.com", ["smtp"], true),
        account("approvals@contoso.com", ["imap"], false),
      ]),
    ).toEqual(["smtp"]); // not authorized yet (or disconnected): nothing to watch
  });

  it("a role without host or mailbox is not watched; password and app-only roles need no authorization", () => {
    expect(roles({ ...settings, imapHost: null } as never, [account("mailer@contoso.com", ["smtp"], true)])).toEqual([
      "smtp",
    ]);
    expect(roles({ ...settings, saved: false }, [])).toEqual([]);
    expect(roles({ ...settings, smtpAuthType: "password", imapConnectionType: "application" } as never, [])).toEqual([
      "smtp",
      "imap",
    ]);
  });
});
