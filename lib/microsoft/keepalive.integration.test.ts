import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations } from "@/lib/db/migrate";
import { databaseUrl } from "@/lib/db/database-url";
import { ADMIN, authorizeAs, configure, startTestSandbox } from "../../test/support/sandbox-oauth";
import type { RunningSandbox } from "@mail-connect/m365-sandbox";
import { SEED_USERS } from "@mail-connect/m365-sandbox";

/** The daily keep-alive against the sandbox: refresh, one runner per day, failures reported and emailed once. */
let sandbox: RunningSandbox;
let db: typeof import("@/lib/db/client").db;
let ka: typeof import("@/lib/microsoft/keepalive");
let emailAdmins: typeof import("@/lib/mail/notify-admins").emailAdmins;

const notifyThroughSandbox = (subject: string, text: string) =>
  emailAdmins(subject, text, { tls: { ca: sandbox.caCert } });

beforeAll(async () => {
  await applyMigrations(databaseUrl());
  sandbox = await startTestSandbox();
  ({ db } = await import("@/lib/db/client"));
  ka = await import("@/lib/microsoft/keepalive");
  ({ emailAdmins } = await import("@/lib/mail/notify-admins"));
  await configure(sandbox);
  await db.user.create({ data: { id: ADMIN.id, name: ADMIN.name, email: ADMIN.email, emailVerified: true } });
  await authorizeAs(sandbox, "smtp", SEED_USERS.mailer);
  await authorizeAs(sandbox, "imap", SEED_USERS.approvals);
});
afterAll(async () => {
  await sandbox?.stop();
});

describe("keep-alive", () => {
  it("refreshes every connection in use (rotating and storing the refresh token), once a day, one runner at a time", async () => {
    await sandbox.control.clearTokenCalls();
    const before = await db.oAuthConnection.findMany({ orderBy: { account: "asc" } });
    const [a, b] = await Promise.all([
      ka.runKeepAliveIfDue({ notify: notifyThroughSandbox }),
      ka.runKeepAliveIfDue({ notify: notifyThroughSandbox }),
    ]);
    const reports = [a, b].filter((r) => r !== null);
    expect(reports).toHaveLength(1); // the other found the daily lease taken
    expect(reports[0]!.refreshed.sort()).toEqual(["approvals@contoso.test", "mailer@contoso.test"]);
    const calls = (await sandbox.control.tokenCalls()).filter((c) => c.grantType === "refresh_token");
    expect(calls.map((c) => c.user).sort()).toEqual(["approvals@contoso.test", "mailer@contoso.test"]);
    for (const c of calls) expect(c.presentedRefreshToken?.newest).toBe(true);
    const after = await db.oAuthConnection.findMany({ orderBy: { account: "asc" } });
    for (let i = 0; i < after.length; i++) {
      expect(after[i]!.cacheEnc).not.toBe(before[i]!.cacheEnc);
      expect(after[i]!.lastRefreshAt!.getTime()).toBeGreaterThan(before[i]!.lastRefreshAt!.getTime());
    }
    // Still within the day: nobody runs again.
    expect(await ka.runKeepAliveIfDue({ notify: notifyThroughSandbox })).toBeNull();
    const lease = await db.lease.findUniqueOrThrow({ where: { name: ka.KEEPALIVE_LEASE } });
    expect(lease.expiresAt.getTime() - Date.now()).toBeGreaterThan(23 * 3600_000);
  });

  it("a failed refresh marks the connection, audits it, and emails the admins once while sending still works", async () => {
    await sandbox.control.revokeRefreshTokens(SEED_USERS.approvals.email);
    const report = await ka.runKeepAlive({ notify: notifyThroughSandbox });
    expect(report.refreshed).toEqual(["mailer@contoso.test"]);
    expect(report.needsReauth.map((n) => n.account)).toEqual(["approvals@contoso.test"]);
    expect(report.notified).toHaveLength(1);
    expect(report.notified[0]!.result).toEqual({ sent: true, to: [ADMIN.email] });
    const conn = await db.oAuthConnection.findUniqueOrThrow({ where: { account: "approvals@contoso.test" } });
    expect(conn.status).toBe("needs_reauth");
    expect(conn.notifiedAt).not.toBeNull();
    expect(
      await db.auditEvent.count({ where: { action: "microsoft.needs_reauth", target: "approvals@contoso.test" } }),
    ).toBe(1);
    expect(await db.auditEvent.count({ where: { action: "microsoft.needs_reauth_notified" } })).toBe(1);

    // admin@contoso.test is a sandbox mailbox: the mail lands in its inbox, sent by mailer@ over XOAUTH2.
    const inbox = await sandbox.control.messages(ADMIN.email);
    const mail = inbox.find((m) =>
      m.subject?.includes("Microsoft sign-in for approvals@contoso.test needs re-authorization"),
    );
    expect(mail, JSON.stringify(inbox.map((m) => m.subject))).toBeTruthy();
    expect(mail!.from).toContain("mailer@contoso.test");
    expect(mail!.raw).toContain("AADSTS50173");

    // Once per failure, not every day.
    const again = await ka.runKeepAlive({ notify: notifyThroughSandbox });
    expect(again.notified).toHaveLength(0);
    expect((await sandbox.control.messages(ADMIN.email)).length).toBe(inbox.length);
  });

  it("when the sender itself fails, no email can go out: that is reported, and the admins are told on the next success", async () => {
    await sandbox.control.revokeRefreshTokens(SEED_USERS.mailer.email);
    const report = await ka.runKeepAlive({ notify: notifyThroughSandbox });
    expect(report.needsReauth.map((n) => n.account)).toEqual(["mailer@contoso.test"]);
    expect(report.notified).toHaveLength(1);
    expect(report.notified[0]!.result.sent).toBe(false);
    expect(
      (await db.oAuthConnection.findUniqueOrThrow({ where: { account: "mailer@contoso.test" } })).notifiedAt,
    ).toBeNull();

    await authorizeAs(sandbox, "smtp", SEED_USERS.mailer); // sending works again
    const later = await ka.runKeepAlive({ notify: notifyThroughSandbox });
    expect(later.refreshed).toEqual(["mailer@contoso.test"]);
    // mailer@ was re-authorized (its failure is over); nothing pending to report for it.
    expect(later.notified.map((n) => n.account)).toEqual([]);
  });
});
