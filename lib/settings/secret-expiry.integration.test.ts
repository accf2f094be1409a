import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { applyMigrations } from "@/lib/db/migrate";
import { databaseUrl } from "@/lib/db/database-url";
import { emailSettingsSchema, type EmailSettingsInput } from "@/lib/settings/client-safe/email-schema";
import { emailSettingsInput } from "../../test/support/email-settings-input";

/**
 * Issue 15, credential expiry, stored side: the client secret's expiry date is saved with the secret,
 * kept while the secret is, cleared when the secret is replaced without a new date or removed; a
 * refresh refused with AADSTS70043 keeps the sign-in frequency Microsoft named on the connection.
 */
let repo: typeof import("@/lib/settings/email-repository");
let connections: typeof import("@/lib/microsoft/connection-repository");
let translate: typeof import("@/lib/microsoft/errors/translate");
let db: typeof import("@/lib/db/client").db;

beforeAll(async () => {
  await applyMigrations(databaseUrl());
  repo = await import("@/lib/settings/email-repository");
  connections = await import("@/lib/microsoft/connection-repository");
  translate = await import("@/lib/microsoft/errors/translate");
  ({ db } = await import("@/lib/db/client"));
});

beforeEach(async () => {
  await db.oAuthConnection.deleteMany();
  await db.emailSettings.deleteMany();
});

async function save(change: Partial<EmailSettingsInput>) {
  const stored = await repo.getEmailSettings();
  const values = emailSettingsSchema.parse(emailSettingsInput({ version: stored.version, ...change }));
  await repo.saveEmailSettings(values, "admin@contoso.com");
  return repo.getEmailSettings();
}

describe("the client secret's expiry date", () => {
  it("is stored with the secret (the day's start, UTC) and shown back in the form", async () => {
    const s = await save({ msClientSecretExpiresOn: "2027-06-30" });
    expect(s.msClientSecretExpiresAt).toEqual(new Date("2027-06-30T00:00:00Z"));
    expect(repo.toFormValues(s).values.msClientSecretExpiresOn).toBe("2027-06-30");
  });

  it("is kept while the secret is kept, and can be added later", async () => {
    await save({});
    const later = await save({ msClientSecret: "", msClientSecretExpiresOn: "2027-06-30" });
    expect(later.msClientSecretExpiresAt).toEqual(new Date("2027-06-30T00:00:00Z"));
    const kept = await save({ msClientSecret: "", msClientSecretExpiresOn: "2027-06-30", smtpPort: "25" });
    expect(kept.msClientSecretExpiresAt).toEqual(new Date("2027-06-30T00:00:00Z"));
  });

  it("is cleared when the secret is replaced without a new date", async () => {
    await save({ msClientSecretExpiresOn: "2027-06-30" });
    const replaced = await save({
      msClientSecret: "new~secret-value-0987654321",
      msClientSecretExpiresOn: "2027-06-30",
    });
    expect(replaced.msClientSecretExpiresAt).toBeNull();
    const blank = await save({ msClientSecret: "third~secret-value-111111", msClientSecretExpiresOn: "" });
    expect(blank.msClientSecretExpiresAt).toBeNull();
    const dated = await save({ msClientSecret: "fourth~secret-value-22222", msClientSecretExpiresOn: "2028-01-15" });
    expect(dated.msClientSecretExpiresAt).toEqual(new Date("2028-01-15T00:00:00Z"));
  });

  it("is removed with the secret", async () => {
    await save({ msClientSecretExpiresOn: "2027-06-30" });
    const s = await save({
      smtpAuthType: "none",
      smtpFrom: "mailer@contoso.com",
      imapUser: "",
      msClientSecret: "",
      msClientSecretClear: true,
      msClientSecretExpiresOn: "2027-06-30",
    });
    expect(s.msClientSecretEnc).toBeNull();
    expect(s.msClientSecretExpiresAt).toBeNull();
  });

  it("refuses what is not a calendar day", () => {
    for (const bad of ["2027-02-30", "30/06/2027", "2027-6-30", "1999-12-31", "2027-06-30T00:00"]) {
      const r = emailSettingsSchema.safeParse(emailSettingsInput({ msClientSecretExpiresOn: bad }));
      expect(r.success, bad).toBe(false);
      expect(r.error?.issues[0]).toMatchObject({ path: ["msClientSecretExpiresOn"] });
    }
  });
});

describe("a sign-in frequency learned from AADSTS70043", () => {
  it("is kept on the connection (and survives the re-authorization)", async () => {
    const record = {
      username: "mailer@contoso.com",
      homeAccountId: "home",
      tenantId: "t",
      scopes: "https://outlook.office.com/SMTP.Send",
      cacheEnc: "sealed",
      authorizedBy: "admin@contoso.com",
      at: new Date(),
      smtpHost: "smtp.office365.com",
      imapHost: null,
      redirectUri: "https://mail.contoso.com/flexdeploy/rest/v2/oauth",
    };
    await connections.saveAuthorization("mailer@contoso.com", record);
    const row = await connections.findConnection("mailer@contoso.com");
    const error = translate.translateMicrosoftError({
      error: "invalid_grant",
      description:
        "AADSTS70043: The refresh token has expired or is invalid due to sign-in frequency checks by conditional access. The token was issued on 2026-11-30T09:00:00.0000000Z and the maximum allowed lifetime for this request is 43200.",
    });
    expect(await connections.markNeedsReauth(row!.id, row!.version, error)).toBe(true);
    expect((await connections.findConnection("mailer@contoso.com"))?.signInFrequencySeconds).toBe(43200);
    await connections.saveAuthorization("mailer@contoso.com", record);
    const [view] = await connections.listConnectionViews();
    expect(view).toMatchObject({ status: "connected", signInFrequencySeconds: 43200 });
  });

  it("is forgotten once a refresh works later after the sign-in than the frequency allows (the policy was lifted)", async () => {
    const signedIn = new Date(Date.now() - 2 * 3600_000);
    await connections.saveAuthorization("mailer@contoso.com", {
      username: "mailer@contoso.com",
      homeAccountId: "home",
      tenantId: "t",
      scopes: "https://outlook.office.com/SMTP.Send",
      cacheEnc: "sealed",
      authorizedBy: "admin@contoso.com",
      at: signedIn,
      smtpHost: "smtp.office365.com",
      imapHost: null,
      redirectUri: "https://mail.contoso.com/flexdeploy/rest/v2/oauth",
    });
    const row = await connections.findConnection("mailer@contoso.com");
    await db.oAuthConnection.update({ where: { id: row!.id }, data: { signInFrequencySeconds: 3 * 3600 } });
    // Within the frequency: kept.
    expect(await connections.saveRefreshedCache(row!.id, row!.version, "sealed-2", new Date())).toBe(true);
    expect((await connections.findConnection("mailer@contoso.com"))?.signInFrequencySeconds).toBe(3 * 3600);
    // Past it, and the refresh worked: forgotten.
    await db.oAuthConnection.update({ where: { id: row!.id }, data: { signInFrequencySeconds: 3600 } });
    const current = await connections.findConnection("mailer@contoso.com");
    expect(await connections.saveRefreshedCache(row!.id, current!.version, "sealed-3", new Date())).toBe(true);
    expect((await connections.findConnection("mailer@contoso.com"))?.signInFrequencySeconds).toBeNull();
  });
});
