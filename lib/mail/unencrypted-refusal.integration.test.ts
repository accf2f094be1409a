import { describe, expect, it, vi } from "vitest";
import { EMAIL_DEFAULTS } from "@/lib/settings/email-columns";

/** Issue 11 item 1: no password or token over security None except to a loopback address (refused in the checks). */
describe("Test Email Configuration refuses credentials over security None", () => {
  const base = {
    ...EMAIL_DEFAULTS,
    saved: true,
    smtpAuthType: "microsoft",
    smtpHost: "listener.evil.test",
    smtpPort: 25,
    smtpSecurity: "none",
    smtpUser: "mailer@contoso.com",
    msClientId: "11111111-2222-3333-4444-555555555555",
    msTenantId: "contoso.com",
    msClientSecretEnc: "sealed",
  };

  it("a Microsoft token to another host: the SMTP card is refused without connecting", async () => {
    const { runEmailChecks } = await import("@/lib/mail/check-runner");
    const acquireToken = vi.fn(async () => ({
      accessToken: "token",
      mailbox: "mailer@contoso.com",
      signedInAs: "mailer@contoso.com",
      expiresOn: null,
      fromCache: true,
    }));
    const result = await runEmailChecks({
      settings: base,
      admin: { email: "a@contoso.com" },
      runId: "r",
      acquireToken,
    });
    const smtp = result.cards.find((c) => c.id === "smtp")!;
    expect(smtp).toMatchObject({ status: "skipped", ok: false, phases: [] });
    expect(smtp.summary).toMatch(
      /Refused: Security None would send the Microsoft token unencrypted to listener.evil.test/,
    );
  });

  it("to a loopback address the check runs (and fails to connect here)", async () => {
    const { runEmailChecks } = await import("@/lib/mail/check-runner");
    const result = await runEmailChecks({
      settings: { ...base, smtpHost: "127.0.0.1", smtpPort: 1, connectTimeoutMs: 1000, overallTimeoutMs: 2000 },
      admin: { email: "a@contoso.com" },
      runId: "r",
      acquireToken: async () => ({
        accessToken: "token",
        mailbox: "mailer@contoso.com",
        signedInAs: "mailer@contoso.com",
        expiresOn: null,
        fromCache: true,
      }),
    });
    const smtp = result.cards.find((c) => c.id === "smtp")!;
    expect(smtp.summary).not.toMatch(/Refused/);
    expect(smtp.status).toBe("failed");
    expect(smtp.phases.length).toBeGreaterThan(0);
  });
});
