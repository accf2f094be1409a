import { describe, expect, it } from "vitest";
import { authorizeBlockers, type AuthorizeSettings } from "@/lib/microsoft/authorize-blockers";
import { generateCertificate } from "@/lib/microsoft/certificate/certificate-generate";
import { settings } from "../../test/support/mail-role-fixture";

// the per-role fixture, with an IMAP role that has no mailbox yet
const saved: AuthorizeSettings = { ...settings, imapUser: null, imapSignInAs: null };
const base = "https://mail.contoso.com";

describe("Authorize blockers", () => {
  it("none for complete saved settings", () => {
    expect(authorizeBlockers(saved, base, "smtp")).toEqual([]);
  });

  it("unsaved settings, or a role that does not use Microsoft OAuth", () => {
    expect(authorizeBlockers({ ...saved, saved: false }, base, "smtp")).toEqual(["Save Email Settings first."]);
    expect(authorizeBlockers({ ...saved, smtpAuthType: "password" }, base, "smtp")).toEqual([
      "SMTP auth type is not Microsoft OAuth (saved settings).",
    ]);
    expect(authorizeBlockers(saved, base, "imap")).toEqual([
      "Set an Approval Reply Address with IMAP auth type Microsoft OAuth, and save.",
    ]);
  });

  it("names each missing field, the custom cloud once, and the Server Base URL", () => {
    expect(
      authorizeBlockers(
        { ...saved, msClientId: null, msClientSecretEnc: null, msTenantId: null, msCloud: "custom" },
        null,
        "smtp",
      ),
    ).toEqual([
      "Client Id is missing.",
      "Tenant Id is missing.",
      "Client Secret is missing.",
      "The custom cloud needs an authority and an Outlook resource.",
      "Set the Server Base URL in General Settings (it gives the redirect URI).",
    ]);
    expect(authorizeBlockers(saved, "http://mail.contoso.com", "smtp")).toEqual([
      "The Server Base URL in General Settings must use https:// (http only on localhost).",
    ]);
  });

  it("the mailbox of the role", () => {
    expect(authorizeBlockers({ ...saved, smtpUser: null, smtpSignInAs: "delegate@contoso.com" }, base, "smtp")).toEqual(
      ["SMTP user is missing."],
    );
  });

  it("the Certificate credential: a stored, unexpired certificate instead of the client secret", () => {
    const certificate = { ...saved, msCredentialType: "certificate", msClientSecretEnc: null };
    expect(authorizeBlockers(certificate, base, "smtp")).toEqual(["Certificate is missing."]);
    const fresh = generateCertificate();
    const stored = { ...certificate, msCertificatePem: fresh.certificatePem, msCertificateKeyEnc: "sealed" };
    expect(authorizeBlockers(stored, base, "smtp")).toEqual([]);
    const old = generateCertificate({ now: new Date(Date.now() - 2 * 365 * 86_400_000) });
    expect(authorizeBlockers({ ...stored, msCertificatePem: old.certificatePem }, base, "smtp")).toEqual([
      expect.stringMatching(/^The certificate expired on \d{4}-\d\d-\d\d: upload or generate a new one/),
    ]);
  });
});
