import { describe, expect, it } from "vitest";
import { describeEvent } from "@/lib/audit/describe";

describe("describeEvent", () => {
  it("a test run: N of M checks passed, failures by name", () => {
    const d = describeEvent("settings.email.tested", "Email Settings", {
      ok: false,
      checks: 4,
      failed: ["imap"],
      ms: 1200,
    });
    expect(d.title).toBe("Test Email Configuration: 3 of 4 checks passed");
    expect(d.details).toContain("Failed: IMAP: read the Approval Reply inbox");
  });
  it("a save: old → new for values, names only for the rest (secrets)", () => {
    const d = describeEvent("settings.email.saved", "Email Settings", {
      changed: ["smtpHost", "msClientSecret"],
      values: { smtpHost: { from: "a.example", to: "b.example" } },
    });
    expect(d.title).toBe("Email Settings saved");
    expect(d.details).toEqual(["SMTP host: a.example → b.example", "Changed: Client Secret (value not shown)"]);
  });
  it("an invitation: who, until when, whether it was mailed and why not", () => {
    const d = describeEvent("admin.invited", "new@contoso.test", {
      expires: "2026-12-05T10:00:00.000Z",
      mailed: false,
      reason: "SMTP is not configured.",
    });
    expect(d.title).toBe("Administrator invited (single-use link)");
    expect(d.details).toEqual([
      "Account: new@contoso.test",
      "Reason: SMTP is not configured.",
      "Link expires: 2026-12-05T10:00:00.000Z",
      "Mailed: no",
    ]);
  });
});

describe("sign-in events in plain language", () => {
  it("a failed sign-in names the account, the address and the browser", () => {
    const d = describeEvent("auth.sign_in_failed", "nobody@contoso.test", {
      address: "203.0.113.9",
      userAgent: "Mozilla/5.0 Test",
      reason: "wrong email or password",
      failures: 3,
    });
    expect(d.title).toBe("Sign-in failed: wrong email or password");
    expect(d.details).toEqual([
      "Account: nobody@contoso.test",
      "Reason: wrong email or password",
      "Failures in a row: 3",
      "From address: 203.0.113.9",
      "Browser: Mozilla/5.0 Test",
    ]);
  });
  it("a session that ended says which limit", () => {
    const d = describeEvent("auth.session_expired", "a@contoso.test", { reason: "30 minutes without activity" });
    expect(d.title).toBe("Session ended by its time limit");
    expect(d.details).toContain("Reason: 30 minutes without activity");
  });
  it("the two-factor requirement: off → on", () => {
    const d = describeEvent("settings.require_two_factor.saved", "General Settings", {
      changed: ["requireTwoFactor"],
      values: { requireTwoFactor: { from: "off", to: "on" } },
    });
    expect(d.details).toEqual(["Require two-factor for every administrator: off → on"]);
  });
});
