import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_USERS, type RunningSandbox } from "@mail-connect/m365-sandbox";
import { authorizeAs, runChecks, startMailTestStack } from "../../test/support/mail-checks";

/**
 * Tokens in Test Email Configuration with SMTP and IMAP on the same Microsoft account (one
 * authorization covers both): one token request when the cache is cold, none when it is warm;
 * a revoked grant gives "needs re-authorization" with a Re-Authorize button.
 */
let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startMailTestStack({ imapUser: "mailer@contoso.test" });
  // Access tokens shorter than MSAL's 5-minute renewal margin: the cached one is stale at once (a cold cache).
  await sandbox.control.setAccessTokenLifetime(60);
  await authorizeAs(sandbox, "smtp", SEED_USERS.mailer);
  await sandbox.control.setAccessTokenLifetime(3599);
});
afterAll(async () => {
  await sandbox?.stop();
});

describe("tokens for the same account", () => {
  it("cold cache: one token request serves SMTP and IMAP; warm cache: none", async () => {
    await sandbox.control.clearTokenCalls();
    const cold = await runChecks(sandbox);
    expect(cold.cards.map((c) => [c.id, c.ok])).toEqual([
      ["smtp-token", true],
      ["smtp", true],
      ["imap-token", true],
      ["imap", true],
    ]);
    const calls = await sandbox.control.tokenCalls();
    expect(calls.map((c) => c.grantType)).toEqual(["refresh_token"]);
    expect(cold.card("smtp-token").summary).toContain("refreshed at Microsoft");
    expect(cold.card("imap-token").summary).toContain(
      "reused from the cache (same account as SMTP: no second token request)",
    );
    expect(cold.card("imap").summary).toContain("as mailer@contoso.test and opened INBOX");

    await sandbox.control.clearTokenCalls();
    const warm = await runChecks(sandbox);
    expect(warm.ok).toBe(true);
    expect(await sandbox.control.tokenCalls()).toEqual([]);
    expect(warm.card("smtp-token").facts).toMatchObject({ account: "mailer@contoso.test", source: "cache" });
  });

  it("a revoked grant: needs re-authorization, Microsoft's reason, a Re-Authorize button; the mail checks do not run", async () => {
    await sandbox.control.setAccessTokenLifetime(60);
    await authorizeAs(sandbox, "smtp", SEED_USERS.mailer); // the cache now holds a short-lived access token
    await sandbox.control.setAccessTokenLifetime(3599);
    await sandbox.control.revokeRefreshTokens("mailer@contoso.test");
    const run = await runChecks(sandbox);
    const token = run.card("smtp-token");
    expect(token).toMatchObject({ ok: false, status: "failed", reauthorize: "smtp" });
    expect(token.summary).toBe(
      "Needs re-authorization: Microsoft can no longer renew the sign-in of mailer@contoso.test.",
    );
    expect(token.serverResponse).toContain("AADSTS50173");
    expect(token.hint).toContain("Click Re-Authorize and sign in as mailer@contoso.test.");
    expect(run.card("smtp")).toMatchObject({
      status: "skipped",
      summary: "Not run: there is no Microsoft token for the SMTP account (see the token card).",
    });
    expect(run.card("imap-token")).toMatchObject({ ok: false, reauthorize: "imap" });
    expect(run.ok).toBe(false);
  });
});
