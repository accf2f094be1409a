import { describe, expect, it } from "vitest";
import { diagnoseConnection, diagnoseStartTlsUnavailable } from "@/lib/mail/connection-diagnoses";
import type { DiagnosisContext } from "@/lib/mail/diagnosis";

const ctx = (role: DiagnosisContext["role"]): DiagnosisContext => ({
  role,
  host: "mail.contoso.test",
  port: role === "smtp" ? 587 : 993,
  security: role === "smtp" ? "starttls" : "tls",
  authType: "microsoft",
  mailbox: "mailer@contoso.test",
  connectTimeoutMs: 10_000,
  overallTimeoutMs: 30_000,
});

describe("connection diagnoses name the role's fields and Microsoft's defaults", () => {
  it("DNS failure", () => {
    const d = diagnoseConnection(
      { code: "ENOTFOUND", message: "getaddrinfo ENOTFOUND", phase: "DNS + connect" },
      ctx("imap"),
    );
    expect(d?.summary).toBe("DNS failure: the host name mail.contoso.test cannot be resolved.");
    expect(d?.hint).toContain("The IMAP host mail.contoso.test does not resolve");
    expect(d?.hint).toContain("outlook.office365.com port 993 with TLS");
    expect(d?.links).toEqual([{ label: "IMAP host", href: "/settings/email#imapHost" }]);
  });

  it("connection refused: the ports of the role", () => {
    const d = diagnoseConnection({ code: "ECONNREFUSED", message: "", phase: "DNS + connect" }, ctx("smtp"));
    expect(d?.hint).toContain("SMTP submission is 587 with STARTTLS (465 with TLS)");
    expect(d?.links.map((l) => l.label)).toEqual(["SMTP host", "SMTP port"]);
  });

  it("overall timeout, in seconds, with the phase", () => {
    const d = diagnoseConnection({ message: "", phase: "send", timeout: "overall" }, ctx("smtp"));
    expect(d?.summary).toBe("Timeout: the SMTP check did not finish within 30 s (stopped during send).");
  });

  it("not a network failure: null", () => {
    expect(diagnoseConnection({ message: "535 5.7.3", phase: "authenticate" }, ctx("smtp"))).toBeNull();
  });

  it("STARTTLS unavailable", () => {
    expect(diagnoseStartTlsUnavailable(ctx("imap")).hint).toContain(
      "Use the port that supports STARTTLS (143), or choose TLS (implicit) with port 993.",
    );
  });
});
