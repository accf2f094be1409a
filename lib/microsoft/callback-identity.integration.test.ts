import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { applyMigrations } from "@/lib/db/migrate";
import { databaseUrl } from "@/lib/db/database-url";
import { ADMIN, configure, SandboxBrowser, startTestSandbox } from "../../test/support/sandbox-oauth";
import { SEED_TENANT, SEED_USERS, type RunningSandbox } from "@mail-connect/m365-sandbox";

/**
 * Identity checks at the callback (issue 11, item 7): the signed-in account is read from
 * `preferred_username` / `upn`, never from the mutable `email` claim, and `tid` must be the configured
 * tenant (a GUID, or the tenant id a domain's discovery document names). The sandbox's switch issues
 * ID tokens with another `tid` or another `email`.
 */
let sandbox: RunningSandbox;
let db: typeof import("@/lib/db/client").db;
let startAuthorization: typeof import("@/lib/microsoft/authorize-url").startAuthorization;
let completeAuthorization: typeof import("@/lib/microsoft/callback").completeAuthorization;
let readStateResult: typeof import("@/lib/microsoft/oauth-state").readStateResult;

const OTHER_TENANT = "0b5e1c2d-3f4a-4b6c-8d9e-0f1a2b3c4d5e";

beforeAll(async () => {
  await applyMigrations(databaseUrl());
  sandbox = await startTestSandbox();
  ({ db } = await import("@/lib/db/client"));
  ({ startAuthorization } = await import("@/lib/microsoft/authorize-url"));
  ({ completeAuthorization } = await import("@/lib/microsoft/callback"));
  ({ readStateResult } = await import("@/lib/microsoft/oauth-state"));
  await configure(sandbox);
});
afterAll(async () => {
  await sandbox?.stop();
});
beforeEach(async () => {
  await sandbox.control.clearSessions();
  await sandbox.control.setIdTokenClaims({});
});

/** Authorize for SMTP, sign in as `who` at the sandbox, complete the callback: the stored result. */
async function signInAs(who: { email: string; password: string }) {
  const start = await startAuthorization("smtp", ADMIN);
  if (!("url" in start)) throw new Error(start.blockers.join(" "));
  const back = await new SandboxBrowser(sandbox).authorize(start.url, { login: who.email, password: who.password });
  const location = await completeAuthorization(back.searchParams, ADMIN);
  const id = new URL(location, "https://x").searchParams.get("oauth");
  expect(id, location).toBeTruthy();
  return readStateResult<import("@/lib/microsoft/callback-result").CallbackResult>(id!, ADMIN.id);
}

const connections = () => db.oAuthConnection.count();

describe("who signed in", () => {
  it("an email claim naming the expected mailbox does not make another account the mailbox", async () => {
    await sandbox.control.setIdTokenClaims({ email: "mailer@contoso.test" });
    const result = await signInAs(SEED_USERS.other);
    expect(result).toMatchObject({
      kind: "wrong_user",
      signedInAs: "other@contoso.test",
      expected: "mailer@contoso.test",
    });
    expect(await connections()).toBe(0);
  });

  it("the right account connects (preferred_username), whatever its email claim says", async () => {
    await sandbox.control.setIdTokenClaims({ email: "someone-else@fabrikam.test" });
    expect(await signInAs(SEED_USERS.mailer)).toMatchObject({ kind: "connected", username: "mailer@contoso.test" });
    await db.oAuthConnection.deleteMany();
  });
});

describe("which tenant", () => {
  it("a tid other than the configured tenant (a GUID) is refused and nothing is stored", async () => {
    await sandbox.control.setIdTokenClaims({ tid: OTHER_TENANT });
    const result = await signInAs(SEED_USERS.mailer);
    expect(result).toMatchObject({ kind: "error" });
    if (result?.kind !== "error") throw new Error("expected an error");
    expect(result.message).toContain(
      `signed in to another tenant (${OTHER_TENANT}), not the configured tenant ${SEED_TENANT.id}`,
    );
    expect(await connections()).toBe(0);
    expect(await db.auditEvent.count({ where: { action: "microsoft.wrong_tenant" } })).toBe(1);
  });

  it("a domain as Tenant Id: tid must be the tenant id its discovery document names", async () => {
    await configure(sandbox, { msTenantId: "contoso.test" });
    try {
      await sandbox.control.setIdTokenClaims({ tid: OTHER_TENANT });
      const refused = await signInAs(SEED_USERS.mailer);
      if (refused?.kind !== "error") throw new Error(`expected an error, got ${refused?.kind}`);
      expect(refused.message).toContain(`not the configured tenant contoso.test (${SEED_TENANT.id})`);
      expect(await connections()).toBe(0);

      await sandbox.control.setIdTokenClaims({});
      expect(await signInAs(SEED_USERS.mailer)).toMatchObject({ kind: "connected" });
    } finally {
      await configure(sandbox, { msTenantId: SEED_TENANT.id });
    }
  });
});
