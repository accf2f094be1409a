import { describe, expect, it } from "vitest";
import { emailSettingsSchema } from "@/lib/settings/client-safe/email-schema";
import { saveRequirements } from "@/lib/settings/client-safe/requirements";
import { emailSettingsInput } from "@/test/support/email-settings-input";

function errors(input: Parameters<typeof emailSettingsInput>[0]): Record<string, string> {
  const r = emailSettingsSchema.safeParse(emailSettingsInput(input));
  if (r.success) return {};
  return Object.fromEntries(r.error.issues.map((i) => [String(i.path[0]), i.message]));
}

describe("Email Settings: the sending mailbox's transport (SMTP | Graph)", () => {
  it("defaults to SMTP; Graph is accepted with Microsoft OAuth", () => {
    const parsed = emailSettingsSchema.parse(emailSettingsInput());
    expect(parsed.smtpTransport).toBe("smtp");
    expect(parsed.customGraphHost).toBeNull();
    expect(emailSettingsSchema.parse(emailSettingsInput({ smtpTransport: "graph" })).smtpTransport).toBe("graph");
  });

  it("refuses an unknown transport and Graph without Microsoft OAuth, naming the field", () => {
    expect(errors({ smtpTransport: "ews" as never }).smtpTransport).toBe("Choose SMTP or Microsoft Graph");
    expect(
      errors({ smtpTransport: "graph", smtpAuthType: "password", smtpPassword: "pw", smtpSignInAs: "" }).smtpTransport,
    ).toMatch(/Microsoft Graph sends with Microsoft OAuth/);
  });

  it("a Custom cloud needs its Graph host only when the sender uses Graph, and it must be an https origin", () => {
    const custom = {
      msCloud: "custom" as const,
      customAuthority: "https://login.example.test",
      customOutlookResource: "https://outlook.office.com",
    };
    expect(errors(custom).customGraphHost).toBeUndefined();
    expect(errors({ ...custom, smtpTransport: "graph" }).customGraphHost).toMatch(/^Graph host is required/);
    expect(errors({ ...custom, smtpTransport: "graph", customGraphHost: "ftp://x" }).customGraphHost).toBeDefined();
    expect(errors({ ...custom, smtpTransport: "graph", customGraphHost: "https://127.0.0.1:8443" })).toEqual({});
    const fields = saveRequirements({
      ...emailSettingsSchema.parse(emailSettingsInput()),
      ...custom,
      smtpTransport: "graph",
      customGraphHost: null,
    }).map((r) => r.field);
    expect(fields).toContain("customGraphHost");
  });

  it("a sender on Graph needs no SMTP host or port (SMTP still does)", () => {
    expect(errors({ smtpTransport: "graph", smtpHost: "", smtpPort: "" })).toEqual({});
    expect(Object.keys(errors({ smtpTransport: "smtp", smtpHost: "", smtpPort: "" })).sort()).toEqual([
      "smtpHost",
      "smtpPort",
    ]);
  });
});
