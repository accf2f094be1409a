import { describe, expect, it } from "vitest";
import { emailSettingsSchema, type EmailSettingsInput } from "@/lib/settings/client-safe/email-schema";
import { generalSettingsSchema } from "@/lib/settings/client-safe/general-schema";
import { emailSettingsInput } from "../../test/support/email-settings-input";

/** Issue 11 item 12 (strict numbers and strings) and issue 16 item 4 (every field error in one parse). */

const valid: EmailSettingsInput = emailSettingsInput({
  msCloud: "custom",
  customAuthority: "https://login.example.test",
  customOutlookResource: "https://outlook.office.com",
});

/** Every issue's field and message (first message per field). */
function errors(input: Record<string, unknown>): Record<string, string> {
  const r = emailSettingsSchema.safeParse({ ...valid, ...input });
  const out: Record<string, string> = {};
  if (!r.success) for (const i of r.error.issues) out[i.path.join(".")] ??= i.message;
  return out;
}

const NOT_WHOLE_NUMBERS: unknown[] = [
  true,
  false,
  null,
  [5],
  {},
  "0x24b",
  "5.625e3",
  "Infinity",
  "1.5",
  "-1",
  2.5,
  NaN,
];

describe("strict numbers (issue 11 item 12)", () => {
  it("ports, timeouts and the version accept integers and digit strings", () => {
    expect(errors({ smtpPort: 25, imapPort: " 143 ", connectTimeoutSeconds: "5", version: "7" })).toEqual({});
    const v = emailSettingsSchema.parse({ ...valid, connectTimeoutSeconds: "5", version: "7" });
    expect([v.connectTimeoutSeconds, v.version]).toEqual([5, 7]);
  });

  for (const field of ["smtpPort", "imapPort", "connectTimeoutSeconds", "overallTimeoutSeconds", "version"]) {
    it(`${field}: anything else is a field error, never coerced`, () => {
      for (const bad of NOT_WHOLE_NUMBERS) {
        expect(errors({ [field]: bad })[field], `${field} = ${JSON.stringify(bad)}`).toMatch(/whole number/);
      }
    });
  }

  it("General Settings: {version: true} does not become 1", () => {
    for (const bad of NOT_WHOLE_NUMBERS) {
      const r = generalSettingsSchema.safeParse({ serverBaseUrl: "https://mail.contoso.com", version: bad });
      expect(r.success, JSON.stringify(bad)).toBe(false);
      expect(r.error?.issues.map((i) => i.path.join("."))).toEqual(["version"]);
    }
  });
});

describe("no control characters in hosts, URLs, addresses and ids (issue 11 item 12)", () => {
  const controls = ["\t", "\n", "\r", "\u0000", "\u007f", "\u0085"];
  it("refuses them anywhere, also at the ends (where trim would drop them)", () => {
    for (const c of controls) {
      expect(errors({ smtpHost: `smtp.office365.com${c}` }).smtpHost).toMatch(/control characters/);
      expect(errors({ imapHost: `${c}outlook.office365.com` }).imapHost).toMatch(/control characters/);
      expect(errors({ customAuthority: `https://login.exa${c}mple.test` }).customAuthority).toMatch(
        /control characters/,
      );
      expect(errors({ customOutlookResource: `https://outlook.office.com/${c}` }).customOutlookResource).toMatch(
        /control characters/,
      );
      expect(errors({ smtpUser: `mailer@contoso.com${c}` }).smtpUser).toMatch(/control characters/);
      expect(errors({ msTenantId: `contoso.com${c}` }).msTenantId).toMatch(/control characters/);
      const base = generalSettingsSchema.safeParse({ serverBaseUrl: `https://mail.con${c}toso.com`, version: 0 });
      expect(base.error?.issues[0].message).toMatch(/control characters/);
    }
  });
});

describe("one parse reports every field error (issue 16 item 4)", () => {
  it("an empty Tenant Id is reported together with the other field errors", () => {
    expect(
      Object.keys(
        errors({ msTenantId: "", msClientId: "", smtpPort: "abc", smtpUser: "not-an-email", imapHost: "bad host" }),
      ).sort(),
    ).toEqual(["imapHost", "msClientId", "msTenantId", "smtpPort", "smtpUser"]);
  });

  it("required fields, cross-field rules and bad fields together", () => {
    const e = errors({
      smtpHost: "",
      customAuthority: "http://login.example.test",
      overallTimeoutSeconds: 5,
      connectTimeoutSeconds: 10,
      version: true,
    });
    expect(e.smtpHost).toMatch(/SMTP host is required/);
    expect(e.customAuthority).toMatch(/https/);
    expect(e.overallTimeoutSeconds).toMatch(/at least the connect timeout/);
    expect(e.version).toMatch(/whole number/);
  });

  it("a field that is wrong is not also reported as missing", () => {
    expect(errors({ smtpHost: "\t" })).toEqual({ smtpHost: expect.stringMatching(/control characters/) });
  });

  it("with an invalid auth type the requirements are unknown: only that error", () => {
    expect(errors({ smtpAuthType: "kerberos", msTenantId: "" })).toEqual({
      smtpAuthType: expect.stringMatching(/Choose an SMTP authentication type/),
    });
  });
});

describe("no credentials over security None except to this machine (issue 11 item 1)", () => {
  it("SMTP password or Microsoft token over None to another host is a field error", () => {
    expect(errors({ smtpSecurity: "none" }).smtpSecurity).toMatch(/Microsoft token unencrypted to smtp.office365.com/);
    expect(
      errors({ smtpAuthType: "password", smtpPassword: "pw", smtpSecurity: "none", smtpHost: "mail.contoso.com" })
        .smtpSecurity,
    ).toMatch(/SMTP password unencrypted/);
    expect(errors({ imapSecurity: "none" }).imapSecurity).toMatch(/unencrypted to outlook.office365.com/);
  });

  it("loopback addresses are allowed, and so is None without authentication", () => {
    for (const host of ["localhost", "127.0.0.1", "127.1.2.3", "[::1]"])
      expect(errors({ smtpSecurity: "none", smtpHost: host, imapSecurity: "none", imapHost: host })).toEqual({});
    expect(errors({ smtpAuthType: "none", smtpSecurity: "none", smtpFrom: "app@contoso.com", smtpUser: "" })).toEqual(
      {},
    );
    expect(errors({ smtpSecurity: "none", smtpHost: "127.0.0.1.evil.test" }).smtpSecurity).toMatch(/unencrypted/);
  });
});
