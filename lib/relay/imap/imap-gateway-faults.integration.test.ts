import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SEED_USERS, type RunningSandbox } from "@mail-connect/m365-sandbox";
import { useConnectedMailStack } from "../../../test/support/mail-checks";
import {
  type GatewayHandle,
  gatewayClient,
  imapCredential,
  RawImap,
  startImapGatewayRuntime,
} from "../../../test/support/imap-gateway-stack";

/** The IMAP gateway's refusals, Exchange's token-expiry BYE passed through, and the drain on SIGTERM. */
const approvals = SEED_USERS.approvals.email;
let sandbox: RunningSandbox;
let gateway: GatewayHandle;
let secret: string;
useConnectedMailStack((started) => {
  sandbox = started;
});

beforeAll(async () => {
  gateway = await startImapGatewayRuntime(sandbox, { closeTimeoutMs: 1500 });
  secret = (await imapCredential("approval-reader", [approvals])).secret;
});
afterAll(async () => {
  await gateway?.runtime.stop();
});
beforeEach(async () => {
  const { db } = await import("@/lib/db/client");
  await db.relayCounter.deleteMany();
});

async function lastLogin() {
  const { recentImapLogins } = await import("@/lib/relay/imap/imap-repository");
  return (await recentImapLogins(1))[0];
}

async function refusal(pass: string, user = approvals): Promise<string> {
  const c = gatewayClient(gateway, { user, pass, loginMethod: "LOGIN" });
  try {
    await c.connect();
  } catch (error) {
    const e = error as { authenticationFailed?: boolean; response?: string; message: string };
    expect(e.authenticationFailed).toBe(true);
    return e.response ?? e.message;
  }
  await c.logout();
  throw new Error("the gateway signed in");
}

describe("the IMAP gateway refuses, and says why", () => {
  it("a wrong password: NO [AUTHENTICATIONFAILED], logged without a credential, counted for the throttle", async () => {
    expect(await refusal("mcr_not-a-real-secret")).toMatch(/NO \[AUTHENTICATIONFAILED\] Invalid credentials/);
    expect(await lastLogin()).toMatchObject({ credentialName: "(unknown)", mailbox: approvals, outcome: "refused" });
    const { readCounter } = await import("@/lib/relay/counters");
    expect(await readCounter(`auth-fail-user:imap:${approvals}`, "quarter-hour")).toBe(1);
  });

  it("too many wrong passwords: refused before the password is checked, even the right one", async () => {
    const { bump } = await import("@/lib/relay/counters");
    await bump(`auth-fail-user:imap:${approvals}`, "quarter-hour", 10);
    expect(await refusal(secret)).toMatch(/NO \[UNAVAILABLE\] Too many failed sign-ins/);
  });

  it("a credential not scoped to the mailbox: NO [AUTHORIZATIONFAILED] naming what it may open", async () => {
    const other = await imapCredential("smtp-only", []);
    expect(await refusal(other.secret)).toMatch(
      /NO \[AUTHORIZATIONFAILED\] The credential smtp-only may not open approvals@contoso\.test; it may open: none/,
    );
    const scoped = await imapCredential("other-box", ["someone@contoso.test"]);
    expect(await refusal(scoped.secret)).toMatch(
      /may not open approvals@contoso\.test; it may open: someone@contoso\.test/,
    );
    expect(await lastLogin()).toMatchObject({ credentialName: "other-box", outcome: "refused" });
    const { listCredentials } = await import("@/lib/relay/credential-repository");
    const { imapTodayCounts } = await import("@/lib/relay/imap/imap-repository");
    const cred = (await listCredentials()).find((c) => c.name === "other-box")!;
    expect(await imapTodayCounts(cred.id)).toEqual({ logins: 0, refused: 1 });
    expect(cred.lastError).toMatch(/^IMAP: not allowed to open approvals@contoso\.test/);
  });

  it("Microsoft refusing the sign-in: NO [AUTHENTICATIONFAILED] with Microsoft's answer (never the token)", async () => {
    await sandbox.control.updateUser(approvals, { accountEnabled: false });
    try {
      const answer = await refusal(secret);
      expect(answer).toMatch(
        /NO \[AUTHENTICATIONFAILED\] Microsoft refused the sign-in to approvals@contoso\.test: NO AUTHENTICATE failed\./,
      );
      const row = await lastLogin();
      expect(row).toMatchObject({ credentialName: "approval-reader", outcome: "refused" });
      expect(row.reason).toContain("NO AUTHENTICATE failed.");
      expect(row.reason).not.toMatch(/eyJ|Bearer/);
    } finally {
      await sandbox.control.updateUser(approvals, { accountEnabled: true });
    }
  });

  it("a revoked credential no longer signs in", async () => {
    const { secret: s, credential } = await imapCredential("revoked-reader", [approvals]);
    const { revokeCredential } = await import("@/lib/relay/credential-repository");
    await revokeCredential(credential.id);
    expect(await refusal(s)).toMatch(/NO \[AUTHENTICATIONFAILED\] Invalid credentials/);
  });
});

describe("Exchange ends a session when its token expires", () => {
  it("passes * BYE Session invalidated - AccessTokenExpired through; the client reconnects and the gateway gets a fresh token", async () => {
    const { acquireMailToken } = await import("@/lib/microsoft/mail-token");
    await sandbox.control.setAccessTokenLifetime(2);
    try {
      await acquireMailToken("imap", { forceRefresh: true }); // the cached token now expires in 2 s
      const c = gatewayClient(gateway, { user: approvals, pass: secret }, { disableAutoIdle: true });
      await c.connect();
      await c.mailboxOpen("INBOX");
      const closed = new Promise<void>((resolve) => c.once("close", () => resolve()));
      await new Promise((r) => setTimeout(r, 2200));
      await sandbox.control.clearTokenCalls();
      await c.noop().catch(() => undefined); // answered with the BYE: imapflow closes the connection
      await closed;
      expect(c.usable).toBe(false);

      const again = gatewayClient(gateway, { user: approvals, pass: secret }, { disableAutoIdle: true });
      await again.connect();
      const box = await again.mailboxOpen("INBOX");
      expect(box.path).toBe("INBOX");
      await again.logout();
      // the new sign-in refreshed the token at Microsoft (the old one had expired)
      expect((await sandbox.control.tokenCalls()).length).toBeGreaterThanOrEqual(1);
    } finally {
      await sandbox.control.setAccessTokenLifetime(3599);
      await acquireMailToken("imap", { forceRefresh: true });
    }
  });

  it("the BYE reaches the client byte for byte", async () => {
    const { acquireMailToken } = await import("@/lib/microsoft/mail-token");
    await sandbox.control.setAccessTokenLifetime(2);
    try {
      await acquireMailToken("imap", { forceRefresh: true });
      const { raw } = await RawImap.open(gateway);
      expect(await raw.command("a1", `LOGIN ${approvals} ${secret}`)).toBe("a1 OK LOGIN completed\r\n");
      await new Promise((r) => setTimeout(r, 2200));
      raw.send("a2 NOOP\r\n");
      expect(await raw.until(/\r\n/)).toBe("* BYE Session invalidated - AccessTokenExpired\r\n");
      raw.close();
    } finally {
      await sandbox.control.setAccessTokenLifetime(3599);
      await acquireMailToken("imap", { forceRefresh: true });
    }
  });
});

describe("SIGTERM", () => {
  it("stops accepting, says goodbye before login, lets a FETCH in flight finish, then closes what is left", async () => {
    const big = `From: jane@example.com\r\nTo: ${approvals}\r\nSubject: drain\r\n\r\n${"x".repeat(1_500_000)}\r\n`;
    const { uid } = await sandbox.control.deliver(approvals, big);
    const reading = gatewayClient(gateway, { user: approvals, pass: secret }, { disableAutoIdle: true });
    await reading.connect();
    await reading.mailboxOpen("INBOX");
    const idle = gatewayClient(gateway, { user: approvals, pass: secret }, { disableAutoIdle: true });
    await idle.connect();
    const idleClosed = new Promise<void>((resolve) => idle.once("close", () => resolve()));
    const { raw: waiting } = await RawImap.open(gateway);

    await sandbox.control.setLatency({ imap: 300 });
    const fetching = reading.fetchOne(String(uid), { source: true }, { uid: true });
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    const stopping = gateway.runtime.stop();
    try {
      expect(await waiting.until(/^\* BYE [^\r\n]*\r\n/m)).toContain("* BYE Mail Connect is shutting down");
      const fetched = await fetching;
      expect(fetched ? fetched.source?.length : 0).toBe(Buffer.byteLength(big));
      await expect(RawImap.open(gateway)).rejects.toMatchObject({ code: "ECONNREFUSED" });
      await reading.logout();
      await stopping;
      await idleClosed; // still open at the end of the drain time: closed (its client reconnects)
      expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      await sandbox.control.setLatency({ imap: 0 });
      waiting.close();
    }
  });
});
