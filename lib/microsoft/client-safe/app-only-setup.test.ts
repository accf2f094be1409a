import { describe, expect, it } from "vitest";
import {
  appOnlySetup,
  appPermissionGrants,
  objectIdProblem,
  SERVICE_PRINCIPAL_PLACEHOLDER,
} from "@/lib/microsoft/client-safe/app-only-setup";

const CLIENT = "4b8e2f6a-9c1d-4e7f-a3b5-c6d7e8f90a12";
const SP = "e5a7c9d1-3f2b-4d6e-8a0c-1b3d5f7e9a24";

describe("the app-only PowerShell", () => {
  it("uses the admin's own ids: client id, the Enterprise application's object id, each mailbox once", () => {
    const setup = appOnlySetup({
      clientId: CLIENT,
      tenantId: "contoso.onmicrosoft.com",
      servicePrincipalObjectId: ` ${SP} `,
      mailboxes: [
        { role: "smtp", mailbox: "mailer@contoso.com" },
        { role: "imap", mailbox: "Mailer@contoso.com" },
      ],
    });
    expect(setup.objectIdProblem).toBeNull();
    expect(setup.commands.map((c) => c.command)).toEqual([
      "Connect-ExchangeOnline -Organization contoso.onmicrosoft.com",
      `New-ServicePrincipal -AppId ${CLIENT} -ObjectId ${SP} -DisplayName 'Mail Connect'`,
      `Add-MailboxPermission -Identity mailer@contoso.com -User ${SP} -AccessRights FullAccess`,
    ]);
  });

  it("two mailboxes: one Add-MailboxPermission each", () => {
    const setup = appOnlySetup({
      clientId: CLIENT,
      tenantId: "t",
      servicePrincipalObjectId: SP,
      mailboxes: [
        { role: "smtp", mailbox: "mailer@contoso.com" },
        { role: "imap", mailbox: "approvals@contoso.com" },
      ],
    });
    expect(setup.commands.filter((c) => c.command.startsWith("Add-MailboxPermission"))).toHaveLength(2);
  });

  it("no object id yet, or the client id pasted instead: a placeholder and what is wrong", () => {
    const blank = appOnlySetup({ clientId: CLIENT, tenantId: "t", servicePrincipalObjectId: "", mailboxes: [] });
    expect(blank.commands[1]?.command).toBe(
      `New-ServicePrincipal -AppId ${CLIENT} -ObjectId '${SERVICE_PRINCIPAL_PLACEHOLDER}' -DisplayName 'Mail Connect'`,
    );
    expect(blank.objectIdProblem).toContain("Enterprise applications");
    expect(objectIdProblem(CLIENT.toUpperCase(), CLIENT)).toContain("That is the Application (client) ID");
    expect(objectIdProblem("not-a-guid", CLIENT)).toContain("GUID");
  });

  it("quotes what PowerShell would otherwise split or interpret", () => {
    const setup = appOnlySetup({
      clientId: CLIENT,
      tenantId: "t",
      servicePrincipalObjectId: SP,
      mailboxes: [{ role: "smtp", mailbox: "o'brien$x@contoso.com" }],
    });
    expect(setup.commands[2]?.command).toBe(
      `Add-MailboxPermission -Identity 'o''brien$x@contoso.com' -User ${SP} -AccessRights FullAccess`,
    );
  });
});

describe("a sender on Microsoft Graph", () => {
  const mailboxes = [
    { role: "smtp" as const, mailbox: "mailer@contoso.com", graph: true },
    { role: "imap" as const, mailbox: "approvals@contoso.com" },
  ];

  it("gets no Add-MailboxPermission (Graph's Mail.Send uses none); the IMAP mailbox still does", () => {
    const setup = appOnlySetup({ clientId: CLIENT, tenantId: "t", servicePrincipalObjectId: SP, mailboxes });
    expect(setup.commands.filter((c) => c.command.startsWith("Add-MailboxPermission")).map((c) => c.command)).toEqual([
      `Add-MailboxPermission -Identity approvals@contoso.com -User ${SP} -AccessRights FullAccess`,
    ]);
  });

  it("asks for Microsoft Graph's Mail.Send, and Exchange's permissions for the other roles", () => {
    expect(appPermissionGrants(mailboxes)).toEqual([
      { api: "Microsoft Graph", permissions: ["Mail.Send"] },
      { api: "Office 365 Exchange Online", permissions: ["IMAP.AccessAsApp"] },
    ]);
    expect(appPermissionGrants([{ role: "smtp", mailbox: "mailer@contoso.com" }, mailboxes[1]!])).toEqual([
      { api: "Office 365 Exchange Online", permissions: ["SMTP.SendAsApp", "IMAP.AccessAsApp"] },
    ]);
  });
});
