import { describe, expect, it } from "vitest";
import { basicAuthNotices, EXCHANGE_ONLINE_SMTP_HOSTS } from "@/lib/mail/client-safe/basic-auth-deadline";
import { diagnoseSmtp } from "@/lib/mail/smtp-diagnoses";
import { diagnoseImap } from "@/lib/mail/imap-diagnoses";
import type { DiagnosisContext } from "@/lib/mail/diagnosis";

const now = new Date("2026-12-01T12:00:00Z");
const password = {
  smtpAuthType: "password",
  smtpHost: "smtp.office365.com",
  imapUser: null,
  imapAuthType: "microsoft",
};

describe("the Basic-auth deadline on Exchange Online", () => {
  it("SMTP with a password on an Exchange Online host of any cloud: Microsoft's timeline and the rejection", () => {
    for (const host of ["smtp.office365.com", "SMTP.Office365.us", "smtp.partner.outlook.cn", "smtp.outlook.com"]) {
      const [notice] = basicAuthNotices({ ...password, smtpHost: host }, now);
      expect(notice?.role, host).toBe("smtp");
    }
    const [notice] = basicAuthNotices(password, now);
    expect(notice!.headline).toBe(
      "SMTP uses a password on Exchange Online (smtp.office365.com): Microsoft turns Basic authentication for SMTP AUTH off by default for existing tenants at the end of December 2026 (in 31 days).",
    );
    expect(notice!.details[0]).toContain('"550 5.7.30 Basic authentication is not supported for Client Submission"');
    expect(notice!.details.join(" ")).toContain("SMTP relay (the Relay page)");
    expect(notice!.source.href).toBe(
      "https://techcommunity.microsoft.com/blog/exchange/updated-exchange-online-smtp-auth-basic-authentication-deprecation-timeline/4489835",
    );
    expect(basicAuthNotices(password, new Date("2027-01-05T00:00:00Z"))[0]!.headline).toContain(
      "since the end of December 2026",
    );
  });

  it("nothing for Microsoft OAuth, no authentication, or another server", () => {
    expect(basicAuthNotices({ ...password, smtpAuthType: "microsoft" }, now)).toEqual([]);
    expect(basicAuthNotices({ ...password, smtpAuthType: "none" }, now)).toEqual([]);
    expect(basicAuthNotices({ ...password, smtpHost: "mail.contoso.com" }, now)).toEqual([]);
    expect(EXCHANGE_ONLINE_SMTP_HOSTS.has("smtp.office365.us")).toBe(true);
  });

  it("IMAP with a password on Exchange Online: off since 2022 (only once a reply address is set)", () => {
    const imap = { smtpAuthType: "microsoft", imapAuthType: "password", imapHost: "outlook.office365.com" };
    expect(basicAuthNotices({ ...imap, imapUser: "" }, now)).toEqual([]);
    const [notice] = basicAuthNotices({ ...imap, imapUser: "approvals@contoso.com" }, now);
    expect(notice).toMatchObject({ role: "imap" });
    expect(notice!.headline).toContain("turned Basic authentication for IMAP off in Exchange Online in 2022");
  });
});

const ctx = (over: Partial<DiagnosisContext>): DiagnosisContext => ({
  role: "smtp",
  host: "smtp.office365.com",
  port: 587,
  security: "starttls",
  authType: "password",
  mailbox: "mailer@contoso.com",
  connectTimeoutMs: 10_000,
  overallTimeoutMs: 30_000,
  ...over,
});

describe("Test Email Configuration names the deadline and the switch", () => {
  it("535 5.7.139 with a password: enabling SMTP AUTH helps only until the deadline", () => {
    const d = diagnoseSmtp(
      {
        phase: "authenticate",
        message: "Invalid login",
        response:
          "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.",
      },
      ctx({}),
    );
    expect(d.hint).toContain("With a password this helps only for a while");
    expect(d.hint).toContain("at the end of December 2026");
    expect(d.hint).toContain('"Switch to Microsoft OAuth"');
    expect(d.links).toContainEqual({ label: "SMTP auth type", href: "/settings/email#smtpAuthType" });
    const oauth = diagnoseSmtp(
      {
        phase: "authenticate",
        message: "x",
        response: "535 5.7.139 SmtpClientAuthentication is disabled for the Tenant.",
      },
      ctx({ authType: "microsoft" }),
    );
    expect(oauth.hint).not.toContain("December 2026");
  });

  it("IMAP password refused on Exchange Online: off since 2022, the switch", () => {
    const d = diagnoseImap(
      { phase: "authenticate", message: "Command failed", response: "NO LOGIN failed." },
      ctx({
        role: "imap",
        host: "outlook.office365.com",
        port: 993,
        security: "tls",
        mailbox: "approvals@contoso.com",
      }),
    );
    expect(d.summary).toBe(
      "Exchange Online refuses the password for approvals@contoso.com: Basic authentication for IMAP has been off in Exchange Online since 2022.",
    );
    expect(d.hint).toContain('"Switch to Microsoft OAuth" next to the IMAP auth type');
    const other = diagnoseImap(
      { phase: "authenticate", message: "Command failed", response: "NO LOGIN failed." },
      ctx({ role: "imap", host: "imap.contoso.com", port: 993, security: "tls" }),
    );
    expect(other.summary).toBe("The IMAP server refused the user name and password for mailer@contoso.com.");
  });
});
