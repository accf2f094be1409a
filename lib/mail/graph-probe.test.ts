import { describe, expect, it, vi } from "vitest";

vi.mock("server-only", () => ({}));

const { graphSendPermission } = await import("@/lib/mail/graph-probe");

const token = (claims: Record<string, unknown>) =>
  `${Buffer.from('{"alg":"RS256"}').toString("base64url")}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.sig`;
const sender = { smtpAuthType: "microsoft", smtpTransport: "graph", smtpUser: "mailer@contoso.test", smtpSignInAs: "" };

describe("the Graph probe reads the permission from the token's claims", () => {
  it("delegated: scp must hold Mail.Send (Mail.Send.Shared for a delegate of a shared mailbox)", () => {
    expect(graphSendPermission(sender as never, token({ scp: "Mail.Send User.Read" }), false)).toMatchObject({
      needed: "Mail.Send",
      granted: true,
    });
    expect(graphSendPermission(sender as never, token({ scp: "SMTP.Send" }), false).granted).toBe(false);
    const shared = { ...sender, smtpUser: "shared@contoso.test", smtpSignInAs: "mailer@contoso.test" };
    expect(graphSendPermission(shared as never, token({ scp: "Mail.Send" }), false)).toMatchObject({
      needed: "Mail.Send.Shared",
      granted: false,
    });
    expect(graphSendPermission(shared as never, token({ scp: "Mail.Send.Shared" }), false).granted).toBe(true);
  });

  it("application: roles must hold Mail.Send; an unreadable token is not granted", () => {
    expect(graphSendPermission(sender as never, token({ roles: ["Mail.Send"] }), true)).toMatchObject({
      kind: "application",
      granted: true,
    });
    expect(graphSendPermission(sender as never, token({ roles: ["Mail.Read"], scp: "Mail.Send" }), true).granted).toBe(
      false,
    );
    expect(graphSendPermission(sender as never, "opaque", true)).toMatchObject({ granted: false, readable: false });
  });
});
