import { describe, expect, it } from "vitest";
import type { AuthorizeSettings } from "@/lib/microsoft/authorize-blockers";
import { describeMailRoles, type ConnectionView } from "@/lib/microsoft/mail-role-status";

// (the same fixture as mail-role-status.test.ts)
const settings: AuthorizeSettings = {
  saved: true,
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
  imapSignInAs: "Mailer@contoso.com",
  msClientId: "11111111-2222-3333-4444-555555555555",
  msClientSecretEnc: "sealed",
  msTenantId: "contoso.onmicrosoft.com",
  msCloud: "global",
  msCredentialType: "secret",
  msCertificateKeyEnc: null,
  msCertificatePem: null,
  customAuthority: null,
  customOutlookResource: null,
};
const general = { serverBaseUrl: "https://mail.contoso.com/", updatedAt: new Date("2025-01-01T00:00:00Z") };

function connection(over: Partial<ConnectionView> = {}): ConnectionView {
  return {
    id: "c1",
    account: "mailer@contoso.com",
    username: "mailer@contoso.com",
    tenantId: null,
    scopes: ["https://outlook.office.com/SMTP.Send", "https://outlook.office.com/IMAP.AccessAsUser.All", "openid"],
    authorizedAt: "2025-02-01T10:00:00.000Z",
    authorizedBy: "admin@contoso.com",
    lastRefreshAt: null,
    status: "connected",
    lastError: null,
    lastErrorCode: null,
    lastErrorAt: null,
    redirectUri: null,
    ...over,
  } as ConnectionView;
}

describe("describeMailRoles: a sender on Microsoft Graph", () => {
  const graph = { ...settings, smtpTransport: "graph" };

  it("choosing Graph means re-authorizing: a grant without Graph's Mail.Send does not cover the sender", () => {
    const d = describeMailRoles(graph, general, [connection()]);
    const smtp = d.roles[0]!;
    expect([smtp.coversRole, smtp.healthy, smtp.graphScopes]).toEqual([
      false,
      false,
      ["https://graph.microsoft.com/Mail.Send"],
    ]);
    // the IMAP role of the same account is unaffected
    expect(d.roles[1]).toMatchObject({ coversRole: true, healthy: true });
    expect(d.roles[1]!.graphScopes).toBeUndefined();
  });

  it("a grant with Mail.Send covers it; a delegate for a shared mailbox needs Mail.Send.Shared", () => {
    const scopes = [...connection().scopes, "https://graph.microsoft.com/Mail.Send"];
    expect(describeMailRoles(graph, general, [connection({ scopes })]).roles[0]).toMatchObject({
      coversRole: true,
      healthy: true,
    });
    const shared = { ...graph, smtpUser: "shared@contoso.com", smtpSignInAs: "mailer@contoso.com" };
    const d = describeMailRoles(shared, general, [connection({ scopes })]);
    expect(d.roles[0]).toMatchObject({
      coversRole: false,
      graphScopes: ["https://graph.microsoft.com/Mail.Send.Shared"],
    });
    const withShared = [...scopes, "https://graph.microsoft.com/Mail.Send.Shared"];
    expect(describeMailRoles(shared, general, [connection({ scopes: withShared })]).roles[0]!.coversRole).toBe(true);
  });

  it("a national cloud asks for its own Graph host's scope", () => {
    const d = describeMailRoles({ ...graph, msCloud: "usgov" }, general, [connection()]);
    expect(d.roles[0]!.graphScopes).toEqual(["https://graph.microsoft.us/Mail.Send"]);
  });
});
