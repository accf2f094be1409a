import { describe, expect, it } from "vitest";
import { generateCertificate } from "@/lib/microsoft/certificate/certificate-generate";
import {
  appCredentialExpiry,
  credentialExpiries,
  describeExpiry,
  enteredWindow,
  expiryWarnings,
  expiryWindow,
  refreshTokenExpiry,
} from "@/lib/microsoft/credential-expiry";
import { nextStep } from "@/app/settings/email/next-step";
import type { MailRolesStatus } from "@/lib/microsoft/mail-role-status";

const DAY = 86_400_000;
const at = (iso: string) => new Date(iso);
const secretSettings = (expires: string | null) => ({
  smtpAuthType: "microsoft",
  imapAuthType: "microsoft",
  imapUser: null,
  msCredentialType: "secret",
  msClientSecretEnc: "sealed",
  msClientSecretExpiresAt: expires ? at(expires) : null,
  msCertificatePem: null,
});

describe("expiry windows through a controlled clock", () => {
  const expires = at("2027-01-31T00:00:00Z");
  it.each([
    ["31 days before", "2026-12-31T00:00:00Z", null],
    ["exactly 30 days before", "2027-01-01T00:00:00Z", 30],
    ["8 days before", "2027-01-23T00:00:00Z", 30],
    ["7 days before", "2027-01-24T00:00:00Z", 7],
    ["25 hours before", "2027-01-29T23:00:00Z", 7],
    ["a day before", "2027-01-30T00:00:00Z", 1],
    ["a minute before", "2027-01-30T23:59:00Z", 1],
    ["at the moment", "2027-01-31T00:00:00Z", "expired"],
    ["after", "2027-03-01T00:00:00Z", "expired"],
  ] as const)("%s → %s", (_, now, window) => {
    expect(expiryWindow(expires, at(now))).toBe(window);
  });

  it("no date, no window", () => {
    expect(expiryWindow(null, at("2027-01-01T00:00:00Z"))).toBeNull();
  });

  it("entering a window (for the monitor's one alert per window): nearer only, a renewal is not an entry", () => {
    expect(enteredWindow(null, 30)).toBe(true);
    expect(enteredWindow(30, 7)).toBe(true);
    expect(enteredWindow(7, 1)).toBe(true);
    expect(enteredWindow(1, "expired")).toBe(true);
    expect(enteredWindow(null, "expired")).toBe(true);
    expect(enteredWindow(7, 7)).toBe(false);
    expect(enteredWindow(7, 30)).toBe(false);
    expect(enteredWindow("expired", null)).toBe(false);
    expect(enteredWindow(null, null)).toBe(false);
  });
});

describe("the app registration's credential", () => {
  it("a client secret: the date entered with it, the renewal steps through the Azure portal", () => {
    const e = appCredentialExpiry(secretSettings("2027-01-31T00:00:00Z"), at("2027-01-26T12:00:00Z"));
    expect(e).toMatchObject({ kind: "client-secret", window: 7, daysLeft: 5 });
    expect(describeExpiry(e!)).toBe("expires in 5 days (2027-01-31)");
    expect(e!.steps[0]).toBe(
      "Azure portal → App registrations → your app → Certificates & secrets → Client secrets → New client secret.",
    );
    expect(e!.steps.join(" ")).toContain("paste the Value into Client Secret");
  });

  it("a secret saved without its date, or Microsoft OAuth not used: nothing to warn about", () => {
    const now = at("2027-01-26T12:00:00Z");
    expect(appCredentialExpiry(secretSettings(null), now)).toBeNull();
    expect(
      appCredentialExpiry(
        { ...secretSettings("2027-01-27T00:00:00Z"), smtpAuthType: "password", imapAuthType: "password" },
        now,
      ),
    ).toBeNull();
  });

  it("a certificate: its notAfter, with the generate-or-upload steps", () => {
    const issued = at("2026-01-01T00:00:00Z");
    const { certificatePem } = generateCertificate({ now: issued, bits: 1024 });
    const settings = { ...secretSettings(null), msCredentialType: "certificate", msCertificatePem: certificatePem };
    expect(appCredentialExpiry(settings, at("2026-11-01T00:00:00Z"))?.window).toBeNull();
    const soon = appCredentialExpiry(settings, at("2026-12-31T00:00:00Z"));
    expect(soon).toMatchObject({ kind: "certificate", window: 1, expiresAt: at("2027-01-01T00:00:00Z") });
    expect(soon!.steps.join(" ")).toContain("Certificates & secrets → Certificates → Upload certificate");
    expect(appCredentialExpiry(settings, at("2027-01-02T00:00:00Z"))?.window).toBe("expired");
  });
});

describe("a delegated connection's refresh token", () => {
  const connection = {
    account: "mailer@contoso.com",
    authorizedAt: "2026-09-01T00:00:00.000Z",
    lastRefreshAt: "2026-10-01T00:00:00.000Z",
    signInFrequencySeconds: null,
  };

  it("expires 90 days after its last use", () => {
    const e = refreshTokenExpiry(connection, at("2026-12-01T00:00:00Z"));
    expect(e.lastUsedAt).toEqual(at("2026-10-01T00:00:00Z"));
    expect(e.expiresAt).toEqual(new Date(at("2026-10-01T00:00:00Z").getTime() + 90 * DAY));
    expect(e).toMatchObject({ window: 30, reason: "90 days without use" });
    expect(e.steps[0]).toContain("Re-Authorize, and sign in as mailer@contoso.com");
  });

  it("never refreshed: counted from the authorization", () => {
    const e = refreshTokenExpiry({ ...connection, lastRefreshAt: null }, at("2026-09-02T00:00:00Z"));
    expect(e.expiresAt).toEqual(new Date(at("2026-09-01T00:00:00Z").getTime() + 90 * DAY));
    expect(e.window).toBeNull();
  });

  it("sooner under a sign-in frequency learned from AADSTS70043", () => {
    const e = refreshTokenExpiry(
      { ...connection, authorizedAt: "2026-12-01T08:00:00.000Z", signInFrequencySeconds: 86_400 },
      at("2026-12-01T10:00:00Z"),
    );
    expect(e.expiresAt).toEqual(at("2026-12-02T08:00:00Z"));
    expect(e.window).toBe(1);
    expect(e.reason).toBe("a Conditional Access sign-in frequency of 1 day (learned from AADSTS70043)");
  });
});

describe("what is warned about", () => {
  const status = (connections: { account: string; status: string; lastRefreshAt: string }[]) => ({
    accounts: connections.map((c) => ({
      account: c.account,
      connection: { ...c, authorizedAt: "2026-01-01T00:00:00.000Z", signInFrequencySeconds: null },
    })),
  });

  it("the app credential and connected accounts, soonest first; one needing re-authorization is left to its own banner", () => {
    const now = at("2026-12-01T00:00:00Z");
    const all = credentialExpiries(
      secretSettings("2026-12-20T00:00:00Z"),
      status([
        { account: "a@contoso.com", status: "connected", lastRefreshAt: "2026-11-30T00:00:00.000Z" },
        { account: "b@contoso.com", status: "connected", lastRefreshAt: "2026-09-05T00:00:00.000Z" },
        { account: "c@contoso.com", status: "needs_reauth", lastRefreshAt: "2026-09-01T00:00:00.000Z" },
      ]),
      now,
    );
    expect(all.map((e) => [e.kind, e.account ?? null, e.window])).toEqual([
      ["refresh-token", "b@contoso.com", 7],
      ["client-secret", null, 30],
      ["refresh-token", "a@contoso.com", null],
    ]);
    expect(expiryWarnings(secretSettings("2026-12-20T00:00:00Z"), status([]), now).map((e) => e.kind)).toEqual([
      "client-secret",
    ]);
  });

  it("Email Settings' next step names the renewal: first when within a day, after the set-up steps otherwise", () => {
    const roles = { roles: [] } as unknown as MailRolesStatus;
    const soon = expiryWarnings(secretSettings("2026-12-02T00:00:00Z"), status([]), at("2026-12-01T06:00:00Z"));
    expect(nextStep(roles, true, soon)).toBe(
      "Next: renew the app registration's client secret: it expires within a day (2026-12-02 00:00 UTC) (the steps are in the banner above).",
    );
    const later = expiryWarnings(secretSettings("2026-12-20T00:00:00Z"), status([]), at("2026-12-01T00:00:00Z"));
    expect(nextStep(roles, true, later)).toBe(
      "Next: renew the app registration's client secret: it expires in 19 days (2026-12-20) (the steps are in the banner above).",
    );
    expect(nextStep(roles, true, [])).toBe("Next: Test Email Configuration.");
  });
});
