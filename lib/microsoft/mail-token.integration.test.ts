import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations } from "@/lib/db/migrate";
import { databaseUrl } from "@/lib/db/database-url";
import { authorizeAs, configure, startTestSandbox } from "../../test/support/sandbox-oauth";
import type { RunningSandbox } from "@mail-connect/m365-sandbox";
import { SEED_USERS } from "@mail-connect/m365-sandbox";
import { refreshTokenFingerprint } from "@mail-connect/m365-sandbox/control-client";

/** acquireMailToken against the in-process sandbox: cache, rotation, concurrency, revocation. */
let sandbox: RunningSandbox;
let db: typeof import("@/lib/db/client").db;
let mt: typeof import("@/lib/microsoft/mail-token");
let errors: typeof import("@/lib/microsoft/errors/token-errors");
let openCache: typeof import("@/lib/microsoft/token-cache-plugin").openCache;

/** The refresh token stored in the connection's encrypted cache (test-only peek). */
async function storedRefreshFingerprint(account: string): Promise<string> {
  const row = await db.oAuthConnection.findUniqueOrThrow({ where: { account } });
  const cache = JSON.parse(openCache(row.cacheEnc, account)) as { RefreshToken: Record<string, { secret: string }> };
  const tokens = Object.values(cache.RefreshToken);
  expect(tokens).toHaveLength(1);
  return refreshTokenFingerprint(tokens[0]!.secret);
}

beforeAll(async () => {
  await applyMigrations(databaseUrl());
  sandbox = await startTestSandbox();
  ({ db } = await import("@/lib/db/client"));
  mt = await import("@/lib/microsoft/mail-token");
  errors = await import("@/lib/microsoft/errors/token-errors");
  ({ openCache } = await import("@/lib/microsoft/token-cache-plugin"));
  await configure(sandbox);
});
afterAll(async () => {
  await sandbox?.stop();
});

describe("acquireMailToken", () => {
  it("says NotConnected before anyone authorized", async () => {
    await expect(mt.acquireMailToken("smtp")).rejects.toBeInstanceOf(errors.NotConnectedError);
  });

  it("answers from the cache while the access token is valid, for the mailbox as XOAUTH2 user", async () => {
    await authorizeAs(sandbox, "smtp", SEED_USERS.mailer);
    await sandbox.control.clearTokenCalls();
    const token = await mt.acquireMailToken("smtp");
    expect(token).toMatchObject({ mailbox: "mailer@contoso.test", signedInAs: "mailer@contoso.test", fromCache: true });
    expect(token.accessToken.split(".")).toHaveLength(3);
    expect(await sandbox.control.tokenCalls()).toHaveLength(0);
    // The IMAP role uses another account (approvals@), not authorized yet.
    await expect(mt.acquireMailToken("imap")).rejects.toBeInstanceOf(errors.NotConnectedError);
  });

  it("persists the rotated refresh token on every refresh: each refresh presents the newest one", async () => {
    await sandbox.control.setAccessTokenLifetime(1); // expired at once for MSAL (5-minute margin)
    await mt.acquireMailToken("smtp", { forceRefresh: true }); // replaces the 1-hour token with a 1-second one
    await sandbox.control.clearTokenCalls();
    for (let i = 0; i < 3; i++) {
      const before = await storedRefreshFingerprint("mailer@contoso.test");
      const token = await mt.acquireMailToken("smtp");
      expect(token.fromCache).toBe(false);
      const after = await storedRefreshFingerprint("mailer@contoso.test");
      expect(after).not.toBe(before);
      const calls = (await sandbox.control.tokenCalls()).filter((c) => c.grantType === "refresh_token");
      const last = calls.at(-1)!;
      expect(last.status).toBe(200);
      expect(last.presentedRefreshToken).toMatchObject({ fingerprint: before, newest: true });
      expect(last.issuedRefreshToken?.fingerprint).toBe(after);
    }
    const row = await db.oAuthConnection.findUniqueOrThrow({ where: { account: "mailer@contoso.test" } });
    expect(row.lastRefreshAt!.getTime()).toBeGreaterThan(Date.now() - 10_000);
  });

  it("two refreshes at the same moment never lose the newest refresh token", async () => {
    await sandbox.control.setLatency({ http: 150 }); // widen the race window
    await sandbox.control.clearTokenCalls();
    const results = await Promise.all([
      mt.acquireMailToken("smtp"),
      mt.acquireMailToken("smtp"),
      mt.acquireMailToken("smtp", { forceRefresh: true }),
    ]);
    await sandbox.control.setLatency({ http: 0 });
    expect(results.every((r) => r.accessToken.length > 0)).toBe(true);
    const calls = (await sandbox.control.tokenCalls()).filter((c) => c.grantType === "refresh_token");
    expect(calls.length).toBe(3); // serialised: each waited for the previous and refreshed again (1 s tokens)
    // No two refreshes presented the same token, and every one presented the newest.
    expect(new Set(calls.map((c) => c.presentedRefreshToken?.fingerprint)).size).toBe(3);
    for (const c of calls) expect(c.presentedRefreshToken).toMatchObject({ newest: true, known: true });
    // What is stored is the newest: the next refresh presents it.
    const stored = await storedRefreshFingerprint("mailer@contoso.test");
    expect(stored).toBe(calls.at(-1)!.issuedRefreshToken!.fingerprint);
    await sandbox.control.clearTokenCalls();
    await mt.acquireMailToken("smtp");
    const next = (await sandbox.control.tokenCalls()).filter((c) => c.grantType === "refresh_token");
    expect(next[0]!.presentedRefreshToken).toMatchObject({ fingerprint: stored, newest: true });
  });

  it("a revoked grant (AADSTS50173, a plain invalid_grant ServerError) marks the connection Needs re-authorization", async () => {
    await sandbox.control.revokeRefreshTokens(SEED_USERS.mailer.email);
    const error = await mt.acquireMailToken("smtp").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(errors.NeedsReauthorizationError);
    expect((error as InstanceType<typeof errors.NeedsReauthorizationError>).code).toBe("AADSTS50173");
    expect((error as Error).message).toMatch(/revoked/);
    expect((error as Error).message).not.toMatch(/eyJ|1\.[A-Za-z0-9_-]{40}/);
    const row = await db.oAuthConnection.findUniqueOrThrow({ where: { account: "mailer@contoso.test" } });
    expect(row.status).toBe("needs_reauth");
    expect(row.lastErrorCode).toBe("AADSTS50173");
    expect(
      await db.auditEvent.count({ where: { action: "microsoft.needs_reauth", target: "mailer@contoso.test" } }),
    ).toBe(1);

    // Known dead: no further calls to Microsoft until an admin re-authorizes.
    await sandbox.control.clearTokenCalls();
    await expect(mt.acquireMailToken("smtp")).rejects.toBeInstanceOf(errors.NeedsReauthorizationError);
    expect(await sandbox.control.tokenCalls()).toHaveLength(0);

    await authorizeAs(sandbox, "smtp", SEED_USERS.mailer);
    expect((await mt.acquireMailToken("smtp")).accessToken).toBeTruthy();
    expect((await db.oAuthConnection.findUniqueOrThrow({ where: { account: "mailer@contoso.test" } })).status).toBe(
      "connected",
    );
  });

  it("an inactive refresh token (AADSTS700082) also asks for re-authorization", async () => {
    await sandbox.control.markRefreshTokensInactive({ user: SEED_USERS.mailer.email });
    const error = await mt.acquireMailToken("smtp", { forceRefresh: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(errors.NeedsReauthorizationError);
    expect((error as InstanceType<typeof errors.NeedsReauthorizationError>).code).toBe("AADSTS700082");
  });

  it("an outage is not a re-authorization: the connection stays connected", async () => {
    await authorizeAs(sandbox, "smtp", SEED_USERS.mailer);
    await sandbox.control.setTokenEndpoint("error500", 10);
    try {
      const error = await mt.acquireMailToken("smtp", { forceRefresh: true }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(errors.MicrosoftTokenError);
    } finally {
      await sandbox.control.setTokenEndpoint("none");
    }
    expect((await db.oAuthConnection.findUniqueOrThrow({ where: { account: "mailer@contoso.test" } })).status).toBe(
      "connected",
    );
  });

  it("a connection authorized for SMTP only does not give an IMAP token for the same account", async () => {
    await configure(sandbox, { imapUser: "mailer@contoso.test" });
    try {
      const error = await mt.acquireMailToken("imap").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(errors.NeedsReauthorizationError);
      expect((error as InstanceType<typeof errors.NeedsReauthorizationError>).code).toBe("scope_missing");
      // Re-Authorize from either role now covers both.
      await authorizeAs(sandbox, "imap", SEED_USERS.mailer);
      const [smtp, imap] = await Promise.all([mt.acquireMailToken("smtp"), mt.acquireMailToken("imap")]);
      expect(smtp.mailbox).toBe("mailer@contoso.test");
      expect(imap.mailbox).toBe("mailer@contoso.test");
    } finally {
      await configure(sandbox, { imapUser: "approvals@contoso.test" });
    }
  });

  it("a shared mailbox: the delegate signs in, the mailbox stays the XOAUTH2 user", async () => {
    await configure(sandbox, { imapUser: "shared@contoso.test", imapSignInAs: "delegate@contoso.test" });
    try {
      await authorizeAs(sandbox, "imap", SEED_USERS.delegate);
      const token = await mt.acquireMailToken("imap");
      expect(token).toMatchObject({ mailbox: "shared@contoso.test", signedInAs: "delegate@contoso.test" });
    } finally {
      await configure(sandbox, { imapUser: "approvals@contoso.test", imapSignInAs: "" });
    }
  });
});
