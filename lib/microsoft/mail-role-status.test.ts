import { describe, expect, it } from "vitest";
import { describeMailRoles } from "@/lib/microsoft/mail-role-status";
import { connection, general, settings } from "../../test/support/mail-role-fixture";

describe("describeMailRoles", () => {
  it("one account for both roles: shared, healthy, and the redirect URI confirmed", () => {
    const d = describeMailRoles(settings, general, [connection()]);
    expect(d.roles.map((r) => [r.role, r.account, r.sharedWith, r.healthy, r.blockers])).toEqual([
      ["smtp", "mailer@contoso.com", "imap", true, []],
      ["imap", "mailer@contoso.com", "smtp", true, []],
    ]);
    expect(d.roles[1]).toMatchObject({ mailbox: "approvals@contoso.com", expected: "Mailer@contoso.com" });
    expect(d.accounts).toEqual([{ account: "mailer@contoso.com", roles: ["smtp", "imap"], connection: connection() }]);
    expect(d.needsReauth).toEqual([]);
    expect(d.anyMicrosoft).toBe(true);
    expect(d.redirectUri).toBe("https://mail.contoso.com/flexdeploy/rest/v2/oauth");
    expect(d.redirectConfirmedAt).toBe("2025-02-01T10:00:00.000Z");
    expect(d.adminConsentUrl).toContain("/contoso.onmicrosoft.com/adminconsent?");
  });

  it("a grant without the role's permission does not cover it", () => {
    const d = describeMailRoles(settings, general, [connection({ scopes: ["https://outlook.office.com/SMTP.Send"] })]);
    expect(d.roles.map((r) => [r.coversRole, r.healthy])).toEqual([
      [true, true],
      [false, false],
    ]);
  });

  it("needs re-authorization: listed for the banner with the roles it serves", () => {
    const failing = connection({ status: "needs_reauth", lastError: "Revoked." });
    const d = describeMailRoles(settings, general, [failing]);
    expect(d.needsReauth).toEqual([{ account: "mailer@contoso.com", roles: ["smtp", "imap"], connection: failing }]);
    expect(d.roles.every((r) => !r.healthy)).toBe(true);
  });

  it("connections of accounts no role uses are ignored; a role without Microsoft OAuth has no connection", () => {
    const d = describeMailRoles({ ...settings, imapAuthType: "password", imapSignInAs: null }, general, [
      connection(),
      connection({ id: "c2", account: "approvals@contoso.com", status: "needs_reauth" }),
    ]);
    expect(d.roles[1]).toMatchObject({ usesMicrosoft: false, connection: null, sharedWith: null });
    expect(d.roles[0]!.sharedWith).toBeNull();
    expect(d.accounts.map((a) => a.account)).toEqual(["mailer@contoso.com"]);
    expect(d.needsReauth).toEqual([]);
  });

  it("an authorization older than the Server Base URL does not confirm the redirect URI", () => {
    const d = describeMailRoles(settings, { ...general, updatedAt: new Date("2025-03-01T00:00:00Z") }, [connection()]);
    expect(d.redirectConfirmedAt).toBeNull();
    expect(describeMailRoles(settings, { serverBaseUrl: null, updatedAt: null }, []).roles[0]!.blockers).toEqual([
      "Set the Server Base URL in General Settings (it gives the redirect URI).",
    ]);
  });

  it("says which redirect URI Microsoft last accepted when Authorize would now send another", () => {
    const accepted = "https://old.contoso.com/flexdeploy/rest/v2/oauth";
    const moved = describeMailRoles(settings, general, [connection({ redirectUri: accepted })]);
    expect(moved.redirectUri).toBe("https://mail.contoso.com/flexdeploy/rest/v2/oauth");
    expect(moved.redirectChangedFrom).toBe(accepted);
    const same = describeMailRoles(settings, general, [connection({ redirectUri: moved.redirectUri })]);
    expect(same.redirectChangedFrom).toBeNull();
    // made before the accepted URI was kept: unknown, so no warning
    expect(describeMailRoles(settings, general, [connection()]).redirectChangedFrom).toBeNull();
  });
});

describe("Application (app-only) roles", () => {
  const appSettings = {
    ...settings,
    imapSignInAs: null,
    smtpConnectionType: "application",
    imapConnectionType: "delegated",
  };

  it("an Application role has no account, no Authorize blockers and no shared authorization; its app connection decides health", () => {
    const none = describeMailRoles(appSettings, general, [connection()]);
    const smtp = none.roles.find((r) => r.role === "smtp")!;
    expect(smtp).toMatchObject({ connectionType: "application", account: null, connection: null, healthy: false });
    expect(smtp.blockers).toEqual([]);
    expect(none.accounts.map((a) => a.account)).toEqual(["approvals@contoso.com"]);

    const app = {
      id: "a1",
      clientId: settings.msClientId!.toLowerCase(),
      mailbox: "mailer@contoso.com",
      tenantId: "contoso.onmicrosoft.com",
      tokenRoles: ["SMTP.SendAsApp"],
      lastTokenAt: null,
      status: "failing" as const,
      lastError: "no consent",
      lastErrorCode: "app_role_missing",
      lastErrorAt: null,
    };
    const failing = describeMailRoles(appSettings, general, [], [app]);
    expect(failing.appFailing.map((f) => [f.role, f.connection.lastError])).toEqual([["smtp", "no consent"]]);
    const ok = describeMailRoles(appSettings, general, [], [{ ...app, status: "connected" }]);
    expect(ok.roles.find((r) => r.role === "smtp")?.healthy).toBe(true);
    expect(ok.appFailing).toEqual([]);
  });
});
