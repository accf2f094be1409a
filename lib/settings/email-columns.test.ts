import { describe, expect, it } from "vitest";
import { emailSettingsSchema } from "@/lib/settings/client-safe/email-schema";
import { columnsToForm, EMAIL_DEFAULTS, formToColumns } from "@/lib/settings/email-columns";

describe("Email Settings field table", () => {
  it("defaults: no auth, the usual ports and timeouts, nothing stored", () => {
    expect(EMAIL_DEFAULTS).toMatchObject({
      smtpAuthType: "none",
      smtpPort: 587,
      imapPort: 993,
      imapAuthType: "microsoft",
      msCloud: "global",
      smtpPasswordEnc: null,
      connectTimeoutMs: 10_000,
      overallTimeoutMs: 30_000,
      version: 0,
    });
  });

  it("the form gets blanks for nulls, strings for ports, seconds, and never a secret", () => {
    const form = columnsToForm({ ...EMAIL_DEFAULTS, smtpPasswordEnc: "sealed", smtpPort: null, version: 4 });
    expect(form).toMatchObject({
      smtpHost: "",
      smtpPort: "",
      imapPort: "993",
      smtpPassword: "",
      smtpPasswordClear: false,
      connectTimeoutSeconds: 10,
      version: 4,
    });
  });

  it("round trip: form values back to the same columns; custom cloud fields only for Custom", () => {
    const stored = {
      ...EMAIL_DEFAULTS,
      smtpAuthType: "password",
      smtpHost: "smtp.contoso.com",
      smtpUser: "mailer@contoso.com",
      customAuthority: "https://login.example.test",
    };
    const values = emailSettingsSchema.parse({ ...columnsToForm(stored), smtpPassword: "pw" });
    const row = formToColumns(values, (name) => (name === "smtpPassword" ? "sealed-pw" : null));
    expect(row).toMatchObject({
      smtpAuthType: "password",
      smtpHost: "smtp.contoso.com",
      smtpPort: 587,
      smtpPasswordEnc: "sealed-pw",
      customAuthority: null,
      connectTimeoutMs: 10_000,
    });
    expect(Object.keys(row).sort()).toEqual(
      Object.keys(EMAIL_DEFAULTS)
        .filter((k) => !["version", "updatedAt", "updatedBy"].includes(k))
        .sort(),
    );
  });
});
