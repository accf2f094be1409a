import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SEED_USERS, type RunningSandbox } from "@mail-connect/m365-sandbox";
import { refreshTokenFingerprint } from "@mail-connect/m365-sandbox/control-client";
import { authorizeAs, runChecks, startMailTestStack } from "../../test/support/mail-checks";

/**
 * Test Email Configuration is bounded by its overall timeout whatever Microsoft does (issue 11,
 * item 9): a hanging token endpoint ends every card within the timeout (+1 s), alone or with a
 * second run at the same time; the refresh lease is released; an answer that comes after the card
 * gave up is still saved (the rotated refresh token is never lost); a stall never marks the
 * connection as failed.
 */
let sandbox: RunningSandbox;
let db: typeof import("@/lib/db/client").db;
let openCache: typeof import("@/lib/microsoft/token-cache-plugin").openCache;

const ACCOUNT = "mailer@contoso.test";

async function storedRefreshFingerprint(): Promise<string> {
  const row = await db.oAuthConnection.findUniqueOrThrow({ where: { account: ACCOUNT } });
  const cache = JSON.parse(openCache(row.cacheEnc, ACCOUNT)) as { RefreshToken: Record<string, { secret: string }> };
  return refreshTokenFingerprint(Object.values(cache.RefreshToken)[0]!.secret);
}

const refreshLeases = () => db.lease.count({ where: { name: { startsWith: "oauth-refresh:" } } });

async function until(condition: () => Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  sandbox = await startMailTestStack({ imapUser: ACCOUNT });
  ({ db } = await import("@/lib/db/client"));
  ({ openCache } = await import("@/lib/microsoft/token-cache-plugin"));
  await import("@/lib/mail/check-runner"); // loaded before the clock starts (a cold import is slow under load)
});
afterAll(async () => {
  await sandbox?.stop();
});
/**
 * Until no refresh of an earlier test goes on in the background (a token request that outlived its run
 * waits for the lease and may refresh once the hang ends): a second without token calls or refresh leases.
 */
async function quiet(): Promise<void> {
  const end = Date.now() + 15_000;
  for (;;) {
    await sandbox.control.clearTokenCalls();
    await new Promise((r) => setTimeout(r, 1000));
    if ((await sandbox.control.tokenCalls()).length === 0 && (await refreshLeases()) === 0) return;
    if (Date.now() > end) throw new Error("token requests of an earlier test still going on");
  }
}

beforeEach(async () => {
  // a cached access token that is already stale for MSAL: every run refreshes at the token endpoint
  await sandbox.control.setTokenEndpoint("none");
  await quiet();
  await sandbox.control.setAccessTokenLifetime(60);
  await authorizeAs(sandbox, "smtp", SEED_USERS.mailer);
});

const FIVE_SECONDS = { overallTimeoutMs: 5000, connectTimeoutMs: 2000 };

function expectBounded(run: Awaited<ReturnType<typeof runChecks>>, elapsed: number) {
  expect(run.durationMs).toBeLessThan(6000); // the run's own clock, from its start
  expect(elapsed).toBeLessThan(7000); // and the wall clock around it (settings read, history) stays close
  for (const card of run.cards) expect(card.ms, card.id).toBeLessThan(6000);
  const token = run.card("smtp-token");
  expect(token.ok).toBe(false);
  expect(token.summary).toContain("Microsoft's identity platform did not answer within 5 s");
  expect(token.summary).not.toContain("Microsoft said");
  expect(token.reauthorize).toBeUndefined();
}

describe("a hanging token endpoint", () => {
  it("every card ends within the overall timeout (+1 s); the lease is released; the connection stays connected", async () => {
    await sandbox.control.setTokenEndpoint("hang");
    const started = Date.now();
    const run = await runChecks(sandbox, { change: FIVE_SECONDS });
    expectBounded(run, Date.now() - started);
    expect(run.card("smtp").status).toBe("skipped");
    expect(run.card("imap-token").summary).toContain("did not answer within 5 s");

    // the refresh still waits for Microsoft under its lease; when the hang ends, the lease goes
    expect(await refreshLeases()).toBe(1);
    await sandbox.control.setTokenEndpoint("none");
    await until(async () => (await refreshLeases()) === 0, 3000);
    const row = await db.oAuthConnection.findUniqueOrThrow({ where: { account: ACCOUNT } });
    expect(row.status).toBe("connected");
    expect(row.lastError).toBeNull();
  });

  it("two runs at the same time both end within the overall timeout (+1 s)", async () => {
    await sandbox.control.setTokenEndpoint("hang");
    const started = Date.now();
    const [a, b] = await Promise.all([
      runChecks(sandbox, { change: FIVE_SECONDS }),
      runChecks(sandbox, { change: FIVE_SECONDS }),
    ]);
    const elapsed = Date.now() - started;
    expectBounded(a, elapsed);
    expectBounded(b, elapsed);
    await sandbox.control.setTokenEndpoint("none");
    await until(async () => (await refreshLeases()) === 0, 3000);
    expect((await db.oAuthConnection.findUniqueOrThrow({ where: { account: ACCOUNT } })).status).toBe("connected");
  });

  it("an answer that arrives after the card gave up is still saved: the rotated refresh token is never lost", async () => {
    const before = await storedRefreshFingerprint();
    await sandbox.control.clearTokenCalls();
    await sandbox.control.setTokenEndpoint("delay", 1, { delayMs: 3500 });
    const started = Date.now();
    const run = await runChecks(sandbox, { change: { overallTimeoutMs: 2000, connectTimeoutMs: 2000 } });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(run.card("smtp-token").summary).toContain("Microsoft's identity platform did not answer within 2 s");

    await until(async () => (await refreshLeases()) === 0, 5000);
    const calls = (await sandbox.control.tokenCalls()).filter((c) => c.grantType === "refresh_token");
    expect(calls).toHaveLength(1);
    expect(calls[0]!.presentedRefreshToken?.fingerprint).toBe(before);
    const issued = calls[0]!.issuedRefreshToken!.fingerprint;
    expect(await storedRefreshFingerprint()).toBe(issued);

    // the next run presents the newest refresh token
    await sandbox.control.clearTokenCalls();
    const next = await runChecks(sandbox, { change: { overallTimeoutMs: 5000 } });
    expect(next.card("smtp-token").ok).toBe(true);
    const nextCalls = (await sandbox.control.tokenCalls()).filter((c) => c.grantType === "refresh_token");
    expect(nextCalls[0]!.presentedRefreshToken).toMatchObject({ fingerprint: issued, newest: true });
    for (const c of nextCalls) expect(c.presentedRefreshToken).toMatchObject({ newest: true, known: true });
  });
});
