import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { applyMigrations } from "@/lib/db/migrate";
import { databaseUrl } from "@/lib/db/database-url";
import { emailSettingsSchema, type EmailSettingsInput } from "@/lib/settings/client-safe/email-schema";
import { emailSettingsInput } from "../../test/support/email-settings-input";

/**
 * Issue 11 item 1, stored side: a change of the app registration marks every Microsoft connection
 * in the same transaction as the save; unused secrets are removed; a connection keeps the mail hosts
 * it was authorized for, and its token is refused for any other.
 */

let repo: typeof import("@/lib/settings/email-repository");
let connections: typeof import("@/lib/microsoft/connection-repository");
let plan: typeof import("@/lib/settings/secret-destinations");
let db: typeof import("@/lib/db/client").db;

beforeAll(async () => {
  await applyMigrations(databaseUrl());
  repo = await import("@/lib/settings/email-repository");
  connections = await import("@/lib/microsoft/connection-repository");
  plan = await import("@/lib/settings/secret-destinations");
  ({ db } = await import("@/lib/db/client"));
});

const form: EmailSettingsInput = emailSettingsInput({
  imapPort: "993",
  msClientSecret: "first~secret-value-1234567890",
});

async function saveWithPlan(change: Partial<EmailSettingsInput>) {
  const stored = await repo.getEmailSettings();
  const values = emailSettingsSchema.parse({ ...form, version: stored.version, ...change });
  const p = plan.planSecrets(values, stored);
  return { p, changed: await repo.saveEmailSettings(values, "admin@contoso.com", p) };
}

async function authorize(account: string) {
  const s = await repo.getEmailSettings();
  await connections.saveAuthorization(account, {
    username: account,
    homeAccountId: `${account}-home`,
    tenantId: "t",
    scopes: "https://outlook.office.com/SMTP.Send https://outlook.office.com/IMAP.AccessAsUser.All",
    cacheEnc: "sealed-cache",
    authorizedBy: "admin@contoso.com",
    at: new Date(),
    smtpHost: s.smtpHost,
    imapHost: s.imapHost,
    redirectUri: "https://mail.contoso.com/flexdeploy/rest/v2/oauth",
  });
}

beforeEach(async () => {
  await db.oAuthConnection.deleteMany();
  await db.emailSettings.deleteMany();
  await saveWithPlan({});
  await authorize("mailer@contoso.com");
  await authorize("approvals@contoso.com");
});

const statuses = async () =>
  (await db.oAuthConnection.findMany({ orderBy: { account: "asc" } })).map((c) => [
    c.account,
    c.status,
    c.lastErrorCode,
  ]);

describe("a changed app registration", () => {
  it("marks every Microsoft connection needs re-authorization, with the save", async () => {
    const { p } = await saveWithPlan({ msTenantId: "fabrikam.onmicrosoft.com", msClientSecret: "second~secret-1234" });
    expect(p.reauthorizeAll).toBe(true);
    expect(await statuses()).toEqual([
      ["approvals@contoso.com", "needs_reauth", "app_registration_changed"],
      ["mailer@contoso.com", "needs_reauth", "app_registration_changed"],
    ]);
  });

  it("a stale save changes nothing: neither the settings nor the connections", async () => {
    const stored = await repo.getEmailSettings();
    const values = emailSettingsSchema.parse({ ...form, version: stored.version - 1, msTenantId: "fabrikam.com" });
    await expect(
      repo.saveEmailSettings(values, "admin@contoso.com", { drop: [], reauthorizeAll: true }),
    ).rejects.toThrow(/changed by/);
    expect((await repo.getEmailSettings()).msTenantId).toBe("contoso.onmicrosoft.com");
    expect((await statuses()).map((s) => s[1])).toEqual(["connected", "connected"]);
  });

  it("a host change alone leaves the connections connected", async () => {
    await saveWithPlan({ smtpHost: "smtp.outlook.com" });
    expect((await statuses()).map((s) => s[1])).toEqual(["connected", "connected"]);
  });
});

describe("unused secrets", () => {
  it("are removed when their destination changes", async () => {
    await saveWithPlan({ smtpPassword: "leftover-password" }); // stored, while SMTP uses Microsoft OAuth
    expect((await repo.getEmailSettings()).smtpPasswordEnc).not.toBeNull();
    const { p, changed } = await saveWithPlan({ smtpHost: "smtp.outlook.com" });
    expect(p.drop).toEqual(["smtpPassword"]);
    expect(changed).toContain("smtpPassword");
    expect((await repo.getEmailSettings()).smtpPasswordEnc).toBeNull();
  });
});

describe("a token only goes to the mail hosts saved with its connection", () => {
  it("the connection keeps its hosts; another host asks to re-authorize", async () => {
    const row = (await connections.findConnection("mailer@contoso.com"))!;
    expect([row.smtpHost, row.imapHost]).toEqual(["smtp.office365.com", "outlook.office365.com"]);
    const now = { smtpHost: "smtp.office365.com", imapHost: "outlook.office365.com" };
    expect(connections.mailHostProblem(row, "smtp", now)).toBeNull();
    expect(connections.mailHostProblem(row, "imap", now)).toBeNull();
    expect(connections.mailHostProblem(row, "smtp", { ...now, smtpHost: "listener.evil.test" })).toMatch(
      /SMTP host is now listener.evil.test, but this account was authorized for smtp.office365.com.*Re-Authorize/,
    );
    expect(connections.mailHostProblem(row, "imap", { ...now, imapHost: "listener.evil.test" })).toMatch(
      /IMAP host is now listener.evil.test/,
    );
    expect(connections.mailHostProblem({ smtpHost: null, imapHost: null }, "smtp", now)).toMatch(/another host/);
  });
});
