import { describe, expect, it } from "vitest";
import { describeMailRoles } from "@/lib/microsoft/mail-role-status";
import { connection, general, settings } from "../../test/support/mail-role-fixture";

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
