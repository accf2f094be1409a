import { describe, expect, it } from "vitest";
import { emailSettingsSchema, missingSecrets, type EmailSettingsInput } from "@/lib/settings/client-safe/email-schema";
import { emailSettingsInput } from "../../test/support/email-settings-input";

const valid: EmailSettingsInput = emailSettingsInput();

function errors(input: Partial<EmailSettingsInput>): Record<string, string> {
  const r = emailSettingsSchema.safeParse({ ...valid, ...input });
  if (r.success) return {};
  return Object.fromEntries(r.error.issues.map((i) => [i.path.join("."), i.message]));
}

describe("Email Settings schema", () => {
  it("accepts a complete Microsoft OAuth configuration and normalises it", () => {
    const v = emailSettingsSchema.parse({ ...valid, smtpHost: " SMTP.Office365.com ", smtpFrom: "" });
    expect(v.smtpHost).toBe("smtp.office365.com");
    expect(v.smtpPort).toBe(587);
    expect(v.smtpFrom).toBeNull();
    expect(v.msTenantId).toBe("contoso.onmicrosoft.com");
  });

  it("accepts FlexDeploy's smtp.outlook.com host", () => {
    expect(errors({ smtpHost: "smtp.outlook.com" })).toEqual({});
  });

  it("names each bad field with a specific message", () => {
    expect(errors({ smtpHost: "https://smtp.office365.com" }).smtpHost).toMatch(/without https/);
    expect(errors({ smtpPort: "70000" }).smtpPort).toMatch(/1 to 65535/);
    expect(errors({ smtpPort: "abc" }).smtpPort).toMatch(/whole number/);
    expect(errors({ smtpUser: "not-an-email" }).smtpUser).toMatch(/email address/);
    expect(errors({ smtpUser: "" }).smtpUser).toMatch(/SMTP user is required/);
    expect(errors({ msClientId: "my-app" }).msClientId).toMatch(/GUID/);
    expect(errors({ msClientId: "" }).msClientId).toMatch(/Client Id is required/);
    expect(errors({ msTenantId: "not a tenant" }).msTenantId).toMatch(/Directory \(tenant\) ID/);
    expect(errors({ msTenantId: "" }).msTenantId).toMatch(/Tenant Id is required/);
    expect(errors({ imapHost: "" }).imapHost).toMatch(/IMAP host is required/);
    expect(errors({ overallTimeoutSeconds: 5, connectTimeoutSeconds: 10 }).overallTimeoutSeconds).toMatch(
      /at least the connect timeout/,
    );
    expect(errors({ smtpAuthType: "kerberos" as never }).smtpAuthType).toMatch(/Choose an SMTP authentication type/);
  });

  it("accepts tenant GUIDs, domains, organizations and common", () => {
    for (const t of ["7d1c5e0a-3b8f-4c2e-9a6d-51f0c2b4e8a7", "contoso.com", "organizations", "common"])
      expect(errors({ msTenantId: t })).toEqual({});
  });

  it("warns when the secret's ID is pasted instead of its value", () => {
    expect(errors({ msClientSecret: "0f8fad5b-d9cb-469f-a165-70867728950e" }).msClientSecret).toMatch(/secret's ID/);
  });

  it("requires a custom authority and resource for the Custom cloud, https origins only", () => {
    expect(errors({ msCloud: "custom" }).customAuthority).toMatch(/required/);
    expect(
      errors({
        msCloud: "custom",
        customAuthority: "http://127.0.0.1:8443",
        customOutlookResource: "https://outlook.office.com",
      }).customAuthority,
    ).toMatch(/https/);
    expect(
      errors({
        msCloud: "custom",
        customAuthority: "https://127.0.0.1:8443/tenant",
        customOutlookResource: "https://outlook.office.com",
      }).customAuthority,
    ).toMatch(/without a path/);
    expect(
      errors({
        msCloud: "custom",
        customAuthority: "https://127.0.0.1:8443",
        customOutlookResource: "https://outlook.office.com",
      }),
    ).toEqual({});
  });

  it("does not need Microsoft fields when nothing uses Microsoft OAuth", () => {
    expect(errors({ smtpAuthType: "none", smtpUser: "", imapUser: "", msClientId: "", msTenantId: "" })).toEqual({});
  });

  it("rejects malformed submissions (missing fields, wrong types)", () => {
    expect(emailSettingsSchema.safeParse({}).success).toBe(false);
    expect(emailSettingsSchema.safeParse({ ...valid, smtpPasswordClear: "yes" }).success).toBe(false);
    expect(emailSettingsSchema.safeParse(null).success).toBe(false);
  });

  it("requires secrets that are neither stored nor entered", () => {
    const v = emailSettingsSchema.parse({ ...valid, msClientSecret: "" });
    expect(
      missingSecrets(v, { smtpPassword: false, imapPassword: false, msClientSecret: false, msCertificate: false })
        .msClientSecret,
    ).toMatch(/Value/);
    expect(
      missingSecrets(v, { smtpPassword: false, imapPassword: false, msClientSecret: true, msCertificate: false }),
    ).toEqual({});
    const pw = emailSettingsSchema.parse({ ...valid, smtpAuthType: "password" });
    expect(
      missingSecrets(pw, { smtpPassword: false, imapPassword: false, msClientSecret: true, msCertificate: false })
        .smtpPassword,
    ).toMatch(/required/);
  });
});

describe("Connection type (Delegated / Application)", () => {
  it("defaults to Delegated; Application is accepted with a tenant-specific Tenant Id", () => {
    expect(emailSettingsSchema.parse(valid).smtpConnectionType).toBe("delegated");
    expect(errors({ smtpConnectionType: "application", imapConnectionType: "application" })).toEqual({});
  });

  it("field errors: an unknown type, common as tenant, Sign in as with Application", () => {
    expect(errors({ smtpConnectionType: "robot" as never }).smtpConnectionType).toBe("Choose Delegated or Application");
    const e = errors({ imapConnectionType: "application", msTenantId: "common", imapSignInAs: "dana@contoso.com" });
    expect(e.msTenantId).toContain("an app-only token is issued in one directory");
    expect(e.imapSignInAs).toContain("only used with a Delegated connection");
  });
});
