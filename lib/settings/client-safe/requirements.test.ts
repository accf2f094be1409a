import { describe, expect, it } from "vitest";
import {
  APPLICATION_PERMISSIONS,
  applicationProblems,
  appRegistrationRequirements,
  clientRequirements,
  FIELD_LABELS,
  missing,
  requiredMessage,
  roleRequirements,
  saveRequirements,
  tokenRequirements,
  type RequirementSettings,
} from "@/lib/settings/client-safe/requirements";

const complete: RequirementSettings = {
  smtpAuthType: "microsoft",
  smtpHost: "smtp.office365.com",
  smtpPort: 587,
  smtpUser: "mailer@contoso.com",
  smtpFrom: null,
  smtpSignInAs: null,
  imapUser: "approvals@contoso.com",
  imapHost: "outlook.office365.com",
  imapPort: 993,
  imapAuthType: "microsoft",
  imapSignInAs: null,
  msClientId: "11111111-2222-3333-4444-555555555555",
  msTenantId: "contoso.onmicrosoft.com",
  msCloud: "global",
  msCredentialType: "secret",
  customAuthority: null,
  customOutlookResource: null,
};
const allSecrets = { smtpPassword: true, imapPassword: true, msClientSecret: true, msCertificate: true };
const fields = (list: { field: string }[]) => list.map((r) => r.field);

describe("requirements", () => {
  it("SMTP needs host and port, and a user or a From address by auth mode", () => {
    expect(fields(roleRequirements(complete, "smtp"))).toEqual(["smtpHost", "smtpPort", "smtpUser"]);
    expect(fields(roleRequirements({ ...complete, smtpAuthType: "password" }, "smtp"))).toEqual([
      "smtpHost",
      "smtpPort",
      "smtpUser",
      "smtpPassword",
    ]);
    expect(fields(roleRequirements({ ...complete, smtpAuthType: "none" }, "smtp"))).toEqual([
      "smtpHost",
      "smtpPort",
      "smtpFrom",
    ]);
  });

  it("IMAP needs its address, host and port, and a password for password authentication", () => {
    expect(fields(roleRequirements(complete, "imap"))).toEqual(["imapUser", "imapHost", "imapPort"]);
    expect(fields(roleRequirements({ ...complete, imapAuthType: "password" }, "imap"))).toContain("imapPassword");
  });

  it("the app registration needs the client, plus authority and resource for the Custom cloud", () => {
    expect(fields(clientRequirements({ msCredentialType: "secret" }))).toEqual([
      "msClientId",
      "msTenantId",
      "msClientSecret",
    ]);
    expect(fields(appRegistrationRequirements(complete))).toEqual(["msClientId", "msTenantId", "msClientSecret"]);
    expect(fields(appRegistrationRequirements({ msCloud: "custom", msCredentialType: "secret" })).slice(3)).toEqual([
      "customAuthority",
      "customOutlookResource",
    ]);
    expect(fields(tokenRequirements(complete, "imap"))[0]).toBe("imapUser");
  });

  it("saving: the reply mailbox once its address is set, the registration once a role uses Microsoft", () => {
    expect(fields(saveRequirements({ ...complete, imapUser: null, smtpAuthType: "none" }))).toEqual([
      "smtpHost",
      "smtpPort",
    ]);
    expect(fields(saveRequirements({ ...complete, imapUser: null, smtpAuthType: "none", msCloud: "custom" }))).toEqual([
      "smtpHost",
      "smtpPort",
      "customAuthority",
      "customOutlookResource",
    ]);
    expect(fields(saveRequirements(complete))).toContain("msClientSecret");
  });

  it("missing: empty fields, and secrets the caller says are absent", () => {
    expect(missing(saveRequirements(complete), complete, allSecrets)).toEqual([]);
    const gaps = missing(saveRequirements({ ...complete, smtpHost: null, msTenantId: null }), complete, {
      ...allSecrets,
      msClientSecret: false,
    });
    expect(fields(gaps)).toEqual(["msClientSecret"]);
    expect(
      fields(missing(saveRequirements(complete), { ...complete, smtpHost: null, smtpPort: null }, allSecrets)),
    ).toEqual(["smtpHost", "smtpPort"]);
  });

  it("one label per field, and the form's messages", () => {
    expect(FIELD_LABELS.imapUser).toBe("Approval Reply Address");
    expect(FIELD_LABELS.customOutlookResource).toBe("Outlook resource");
    const [host] = roleRequirements(complete, "smtp");
    expect(requiredMessage(host!)).toBe("SMTP host is required, e.g. smtp.office365.com");
    expect(requiredMessage(roleRequirements(complete, "smtp")[2]!)).toBe(
      "SMTP user is required: the mailbox that sends, e.g. mailer@contoso.com",
    );
  });
});

describe("what an Application (app-only) role needs", () => {
  const app = { ...complete, smtpConnectionType: "application", imapConnectionType: "application" };

  it("nothing more than a Delegated role when the tenant is specific and nobody is set to sign in", () => {
    expect(applicationProblems(app)).toEqual({});
    expect(APPLICATION_PERMISSIONS).toEqual({ smtp: "SMTP.SendAsApp", imap: "IMAP.AccessAsApp" });
  });

  it("a tenant-specific Tenant Id (not common / organizations) and no Sign in as", () => {
    const problems = applicationProblems({ ...app, msTenantId: "organizations", smtpSignInAs: "dana@contoso.com" });
    expect(problems.msTenantId).toContain("an app-only token is issued in one directory");
    expect(problems.smtpSignInAs).toContain("only used with a Delegated connection");
    expect(problems.imapSignInAs).toBeUndefined();
  });

  it("Delegated roles keep accepting common and Sign in as", () => {
    expect(applicationProblems({ ...complete, msTenantId: "common", smtpSignInAs: "dana@contoso.com" })).toEqual({});
  });
});
