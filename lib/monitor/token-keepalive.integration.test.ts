import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations } from "@/lib/db/migrate";
import { databaseUrl } from "@/lib/db/database-url";
import { ADMIN, authorizeAs, configure, startTestSandbox } from "../../test/support/sandbox-oauth";
import type { RunningSandbox } from "@mail-connect/m365-sandbox";
import { SEED_USERS } from "@mail-connect/m365-sandbox";

/**
 * The monitor's token keep-alive (it replaced the daily keep-alive, whose assertions are kept here):
 * refresh tokens refreshed when due, one runner per interval, a failed refresh marks the connection
 * "needs re-authorization" and the admins are emailed once while sending still works.
 */
let sandbox: RunningSandbox;
let db: typeof import("@/lib/db/client").db;
let monitor: typeof import("@/lib/monitor/run-monitor");
let emailAdmins: typeof import("@/lib/mail/notify-admins").emailAdmins;

const DAY = 86_400_000;
let clock = Date.now();
const options = () => ({
  now: () => new Date(clock),
  tls: { ca: sandbox.caCert },
  notify: (subject: string, text: string) => emailAdmins(subject, text, { tls: { ca: sandbox.caCert } }),
});

beforeAll(async () => {
  await applyMigrations(databaseUrl());
  sandbox = await startTestSandbox();
  ({ db } = await import("@/lib/db/client"));
  monitor = await import("@/lib/monitor/run-monitor");
  ({ emailAdmins } = await import("@/lib/mail/notify-admins"));
  await configure(sandbox);
  await db.user.create({ data: { id: ADMIN.id, name: ADMIN.name, email: ADMIN.email, emailVerified: true } });
  await authorizeAs(sandbox, "smtp", SEED_USERS.mailer);
  await authorizeAs(sandbox, "imap", SEED_USERS.approvals);
});
afterAll(async () => {
  await sandbox?.stop();
});

describe("the monitor keeps Microsoft refresh tokens alive", () => {
  it("refreshes a connection only when due (rotating and storing the refresh token), one runner per interval", async () => {
    await sandbox.control.clearTokenCalls();
    // Just authorized: nothing is due, the probes take their tokens from the cache.
    const fresh = await monitor.runMonitor(options());
    expect(fresh.tokens.refreshed).toEqual([]);
    expect((await sandbox.control.tokenCalls()).filter((c) => c.grantType === "refresh_token")).toEqual([]);
    expect(fresh.results.map((r) => [r.role, r.ok])).toEqual([
      ["smtp", true],
      ["imap", true],
    ]);

    clock += DAY; // a day later (the test's clock): both refresh tokens are due
    const before = await db.oAuthConnection.findMany({ orderBy: { account: "asc" } });
    const [a, b] = await Promise.all([monitor.runMonitorIfDue(options()), monitor.runMonitorIfDue(options())]);
    const reports = [a, b].filter((r) => r !== null);
    expect(reports).toHaveLength(1); // the other found the interval's lease taken
    expect(reports[0]!.tokens.refreshed.sort()).toEqual(["approvals@contoso.test", "mailer@contoso.test"]);
    const calls = (await sandbox.control.tokenCalls()).filter((c) => c.grantType === "refresh_token");
    expect(calls.map((c) => c.user).sort()).toEqual(["approvals@contoso.test", "mailer@contoso.test"]);
    for (const c of calls) expect(c.presentedRefreshToken?.newest).toBe(true);
    const after = await db.oAuthConnection.findMany({ orderBy: { account: "asc" } });
    for (let i = 0; i < after.length; i++) {
      expect(after[i]!.cacheEnc).not.toBe(before[i]!.cacheEnc);
      expect(after[i]!.lastRefreshAt!.getTime()).toBeGreaterThan(before[i]!.lastRefreshAt!.getTime());
    }
    // Within the interval: nobody runs again.
    expect(await monitor.runMonitorIfDue(options())).toBeNull();
    const lease = await db.lease.findUniqueOrThrow({ where: { name: monitor.MONITOR_LEASE } });
    expect(lease.expiresAt.getTime() - Date.now()).toBeGreaterThan(14 * 60_000);
  });

  it("a failed refresh marks the connection, audits it, and emails the admins once while sending still works", async () => {
    await sandbox.control.revokeRefreshTokens(SEED_USERS.approvals.email);
    clock += DAY;
    const report = await monitor.runMonitor(options());
    expect(report.tokens.refreshed).toEqual(["mailer@contoso.test"]);
    expect(report.tokens.needsReauth.map((n) => n.account)).toEqual(["approvals@contoso.test"]);
    expect(report.alerts.map((a) => [a.kind, a.target, a.email])).toEqual([
      ["connection.needs_reauth", "approvals@contoso.test", { sent: true, to: [ADMIN.email] }],
    ]);
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

    // Once per failure, not at every check.
    clock += 15 * 60_000;
    const again = await monitor.runMonitor(options());
    expect(again.alerts).toHaveLength(0);
    expect((await sandbox.control.messages(ADMIN.email)).length).toBe(inbox.length);
  });

  it("when the sender itself fails, no email can go out: that is recorded, and the recovery is told once sending works", async () => {
    await sandbox.control.revokeRefreshTokens(SEED_USERS.mailer.email);
    clock += DAY;
    const report = await monitor.runMonitor(options());
    expect(report.tokens.needsReauth.map((n) => n.account)).toEqual(["mailer@contoso.test"]);
    const smtpAlert = report.alerts.find((a) => a.target === "mailer@contoso.test");
    expect(smtpAlert?.kind).toBe("connection.needs_reauth");
    expect(smtpAlert?.email?.sent).toBe(false);
    expect(
      (await db.oAuthConnection.findUniqueOrThrow({ where: { account: "mailer@contoso.test" } })).notifiedAt,
    ).toBeNull();
    const delivery = await db.alertDelivery.findFirstOrThrow({ where: { eventId: smtpAlert!.id, channel: "email" } });
    expect(delivery.ok).toBe(false);
    expect(delivery.detail).toMatch(/^Not sent: /);

    await authorizeAs(sandbox, "smtp", SEED_USERS.mailer); // sending works again
    clock += 15 * 60_000;
    const later = await monitor.runMonitor(options());
    expect(later.tokens.needsReauth).toEqual([]);
    expect(later.alerts.map((a) => [a.kind, a.target, a.email?.sent])).toEqual([
      ["mailbox.recovered", "mailer@contoso.test", true],
    ]);
  });
});
