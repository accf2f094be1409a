import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations } from "@/lib/db/migrate";
import { databaseUrl } from "@/lib/db/database-url";
import { authorizeAs, configure, startTestSandbox } from "../../test/support/sandbox-oauth";
import type { RunningSandbox } from "@mail-connect/m365-sandbox";
import { SEED_USERS } from "@mail-connect/m365-sandbox";

/**
 * Issue 11 item 1: a Microsoft access token is presented only to the mail hosts saved with its
 * connection at authorization; after a change of the SMTP host the token is not handed out for mail
 * (the check says to re-authorize), while a plain refresh (keep-alive, Check sign-in) still works.
 */
let sandbox: RunningSandbox;
let db: typeof import("@/lib/db/client").db;
let mt: typeof import("@/lib/microsoft/mail-token");
let errors: typeof import("@/lib/microsoft/errors/token-errors");

beforeAll(async () => {
  await applyMigrations(databaseUrl());
  sandbox = await startTestSandbox();
  ({ db } = await import("@/lib/db/client"));
  mt = await import("@/lib/microsoft/mail-token");
  errors = await import("@/lib/microsoft/errors/token-errors");
  await configure(sandbox);
  await authorizeAs(sandbox, "smtp", SEED_USERS.mailer);
});
afterAll(async () => {
  await sandbox?.stop();
});

describe("token ↔ mail host binding", () => {
  it("the authorization saved the mail hosts of the settings", async () => {
    const [row, s] = await Promise.all([
      db.oAuthConnection.findUniqueOrThrow({ where: { account: "mailer@contoso.test" } }),
      db.emailSettings.findUniqueOrThrow({ where: { id: 1 } }),
    ]);
    expect([row.smtpHost, row.imapHost]).toEqual([s.smtpHost, s.imapHost]);
    await expect(mt.acquireMailToken("smtp")).resolves.toMatchObject({ mailbox: "mailer@contoso.test" });
  });

  it("another SMTP host: no token for mail, re-authorize; a refresh still works", async () => {
    const s = await db.emailSettings.findUniqueOrThrow({ where: { id: 1 } });
    await db.emailSettings.update({ where: { id: 1 }, data: { smtpHost: "localhost" } });
    try {
      await sandbox.control.clearTokenCalls();
      const refused = await mt.acquireMailToken("smtp").catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(errors.NeedsReauthorizationError);
      expect((refused as InstanceType<typeof errors.NeedsReauthorizationError>).code).toBe("mail_host_changed");
      expect((refused as Error).message).toMatch(/SMTP host is now localhost.*Re-Authorize/);
      expect(await sandbox.control.tokenCalls()).toHaveLength(0);
      await expect(mt.acquireMailToken("smtp", { forceRefresh: true, purpose: "refresh" })).resolves.toMatchObject({
        fromCache: false,
      });
      const row = await db.oAuthConnection.findUniqueOrThrow({ where: { account: "mailer@contoso.test" } });
      expect(row.status, "a host change is not a failed sign-in").toBe("connected");
    } finally {
      await db.emailSettings.update({ where: { id: 1 }, data: { smtpHost: s.smtpHost } });
    }
    await expect(mt.acquireMailToken("smtp")).resolves.toMatchObject({ mailbox: "mailer@contoso.test" });
  });
});
