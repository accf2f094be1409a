import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyWebhook } from "@/lib/alerts/webhook-signature";
import { ADMIN } from "../../test/support/sandbox-oauth";
import { startMonitorStack } from "../../test/support/monitor-stack";
import { startWebhookReceiver, type ReceivedHook } from "../../test/support/webhook-receiver";
import type { RunningSandbox } from "@mail-connect/m365-sandbox";
import { SEED_USERS } from "@mail-connect/m365-sandbox";

/**
 * Alerts from the health monitor against the sandbox: once when a mailbox starts failing, once when it
 * recovers (email to the admins + a signed webhook), retried when the receiver is down, a daily reminder
 * with the test's clock, paused per mailbox.
 */
const SECRET = "whsec-test-0123456789abcdef";
const DAY = 86_400_000;

type Stack = Awaited<ReturnType<typeof startMonitorStack>>;
let sandbox: RunningSandbox;
let receiver: Stack["receiver"];
let db: typeof import("@/lib/db/client").db;
let monitor: typeof import("@/lib/monitor/run-monitor");
let stack: Stack;
let clock = Date.now();

const options = () => stack.options(() => clock, [20, 40]);
const inbox = async () => (await sandbox.control.messages(ADMIN.email)).map((m) => m.subject ?? "");
const payload = (h: ReceivedHook) =>
  JSON.parse(h.body) as { type: string; target: string; facts: Record<string, unknown> };

function expectSigned(h: ReceivedHook) {
  expect(
    verifyWebhook(
      SECRET,
      {
        signature: h.headers["x-mail-connect-signature"] as string,
        timestamp: h.headers["x-mail-connect-timestamp"] as string,
      },
      h.body,
    ),
  ).toBe(true);
  expect(
    verifyWebhook(
      "not-the-secret-at-all",
      {
        signature: h.headers["x-mail-connect-signature"] as string,
        timestamp: h.headers["x-mail-connect-timestamp"] as string,
      },
      h.body,
    ),
  ).toBe(false);
}

beforeAll(async () => {
  stack = await startMonitorStack(SECRET);
  ({ sandbox, receiver, db, monitor } = stack);
});
afterAll(async () => {
  await stack?.stop();
});

describe("alerts", () => {
  it("all well: no alert; the SMTP probe stops after AUTH (nothing sent), IMAP selects INBOX", async () => {
    const mailsBefore = (await inbox()).length;
    const report = await monitor.runMonitor(options());
    expect(report.results.every((r) => r.ok)).toBe(true);
    expect(report.alerts).toEqual([]);
    expect(receiver.received).toEqual([]);
    expect((await inbox()).length).toBe(mailsBefore);
    const cards = async (role: string) => {
      const row = await db.healthCheck.findFirstOrThrow({ where: { role }, orderBy: { createdAt: "desc" } });
      return JSON.parse(row.cards) as { id: string; phases: { name: string }[]; transcript?: string[] }[];
    };
    const smtp = (await cards("smtp")).find((c) => c.id === "smtp")!;
    expect(smtp.phases.map((p) => p.name)).toEqual(["DNS + connect", "greeting/EHLO", "TLS", "authenticate"]);
    expect(smtp.transcript?.some((l) => /^C: (MAIL FROM|DATA)/.test(l))).toBe(false);
    const imap = (await cards("imap")).find((c) => c.id === "imap")!;
    expect(imap.phases.map((p) => p.name)).toContain("SELECT INBOX");
  });

  it("SMTP AUTH disabled: one signed webhook (the email cannot go out: SMTP is what fails), nothing more at the next check; recovery: one email and one webhook", async () => {
    const before = (await inbox()).length;
    const { metrics } = await import("@/lib/metrics/metrics");
    const count = async (name: "alertDeliveries" | "checkFailures", labels: Record<string, string>) =>
      (await metrics()[name].get()).values.find((v) => Object.entries(labels).every(([k, x]) => v.labels[k] === x))
        ?.value ?? 0;
    const webhooksSent = await count("alertDeliveries", { channel: "webhook", outcome: "sent" });
    const emailsFailed = await count("alertDeliveries", { channel: "email", outcome: "failed" });
    const smtpProbeFailures = await count("checkFailures", { protocol: "smtp", source: "monitor" });
    await sandbox.control.setTenantSmtpAuth("contoso.test", false);
    clock += 15 * 60_000;
    const failing = await monitor.runMonitor(options());
    expect(failing.results.map((r) => [r.role, r.ok])).toEqual([
      ["smtp", false],
      ["imap", true],
    ]);
    expect(failing.results[0]!.summary).toMatch(/SMTP AUTH|5\.7\.139|disabled/i);
    expect(failing.alerts).toHaveLength(1);
    expect(failing.alerts[0]!.kind).toBe("mailbox.failing");
    expect(failing.alerts[0]!.email?.sent).toBe(false);
    expect(receiver.received).toHaveLength(1);
    expectSigned(receiver.received[0]!);
    expect(receiver.received[0]!.headers["x-mail-connect-event"]).toBe("mailbox.failing");
    expect(payload(receiver.received[0]!)).toMatchObject({ type: "mailbox.failing", target: "mailer@contoso.test" });

    // the metrics count the monitor's failed probe and each delivery
    expect(await count("checkFailures", { protocol: "smtp", source: "monitor" })).toBe(smtpProbeFailures + 1);
    expect(await count("alertDeliveries", { channel: "webhook", outcome: "sent" })).toBe(webhooksSent + 1);
    expect(await count("alertDeliveries", { channel: "email", outcome: "failed" })).toBe(emailsFailed + 1);

    clock += 15 * 60_000;
    expect((await monitor.runMonitor(options())).alerts).toEqual([]); // still failing: not at every check
    expect(receiver.received).toHaveLength(1);

    await sandbox.control.setTenantSmtpAuth("contoso.test", true);
    clock += 15 * 60_000;
    const recovered = await monitor.runMonitor(options());
    expect(recovered.alerts.map((a) => [a.kind, a.email?.sent, a.webhook?.ok])).toEqual([
      ["mailbox.recovered", true, true],
    ]);
    expect(receiver.received).toHaveLength(2);
    expectSigned(receiver.received[1]!);
    expect(payload(receiver.received[1]!)).toMatchObject({ type: "mailbox.recovered", facts: { downMinutes: 30 } });
    const subjects = (await inbox()).slice(before);
    expect(subjects.filter((s) => s.includes("works again"))).toEqual([
      "Mail Connect: SMTP sender (mailer@contoso.test) works again",
    ]);
    expect(subjects.filter((s) => s.includes("is failing"))).toEqual([]);
  });

  it("a revoked token: exactly one email and one signed webhook; a receiver that is down is retried; a daily reminder; pause", async () => {
    const before = (await inbox()).length;
    receiver.answer(503, 503); // down twice, then up
    await sandbox.control.revokeRefreshTokens(SEED_USERS.approvals.email);
    clock += DAY; // refresh due
    const failing = await monitor.runMonitor(options());
    expect(failing.alerts.map((a) => [a.kind, a.target, a.email?.sent])).toEqual([
      ["connection.needs_reauth", "approvals@contoso.test", true],
    ]);
    expect(failing.alerts[0]!.webhook).toEqual({
      ok: true,
      attempts: 3,
      detail: "Delivered: HTTP 503, then 503, then 200",
    });
    const hooks = receiver.received.slice(2);
    expect(hooks).toHaveLength(3); // the same event, three attempts
    for (const h of hooks) expectSigned(h);
    expect(new Set(hooks.map((h) => JSON.parse(h.body).id)).size).toBe(1);
    const subjects = (await inbox()).slice(before);
    expect(subjects).toEqual(["Mail Connect: Microsoft sign-in for approvals@contoso.test needs re-authorization"]);
    const deliveries = await db.alertDelivery.findMany({
      where: { eventId: failing.alerts[0]!.id },
      orderBy: { channel: "asc" },
    });
    expect(deliveries.map((d) => [d.channel, d.ok, d.attempts])).toEqual([
      ["email", true, 1],
      ["webhook", true, 3],
    ]);

    // Still down 23 hours later: nothing; a day after the alert: one reminder.
    clock += 23 * 3600_000;
    expect((await monitor.runMonitor(options())).alerts).toEqual([]);
    clock += 3600_000;
    const reminder = await monitor.runMonitor(options());
    expect(reminder.alerts.map((a) => [a.kind, a.email?.sent, a.webhook?.ok])).toEqual([
      ["mailbox.still_failing", true, true],
    ]);
    expect((await inbox()).slice(before).at(-1)).toMatch(
      /Approval reply mailbox \(IMAP\) \(approvals@contoso\.test\) is still failing/,
    );

    // Paused: the next reminder is recorded, not delivered.
    const { setAlertsPaused } = await import("@/lib/monitor/health-repository");
    expect(await setAlertsPaused("imap", true)).toBe(true);
    const hooksBefore = receiver.received.length;
    const mailsBefore = (await inbox()).length;
    clock += DAY;
    const paused = await monitor.runMonitor(options());
    expect(paused.alerts.map((a) => [a.kind, a.delivered, a.email, a.webhook])).toEqual([
      ["mailbox.still_failing", false, null, null],
    ]);
    expect(receiver.received.length).toBe(hooksBefore);
    expect((await inbox()).length).toBe(mailsBefore);
    await setAlertsPaused("imap", false);
  });

  it("a receiver that stays down: every attempt is recorded, the email still goes out", async () => {
    const { deliverWebhook } = await import("@/lib/alerts/webhook-delivery");
    const down = await startWebhookReceiver();
    await down.stop(); // nothing listens there any more
    const r = await deliverWebhook(
      { url: down.url, secret: SECRET },
      "test",
      { hello: 1 },
      { retryDelaysMs: [10, 10] },
    );
    expect(r.ok).toBe(false);
    expect(r.attempts).toBe(3);
    expect(r.detail).toMatch(/^Not delivered after 3 attempts: ECONNREFUSED, then ECONNREFUSED, then ECONNREFUSED$/);
  });

  it("two runs at once: one runs, the other is told a run is in progress", async () => {
    const { LeaseBusyError } = await import("@/lib/microsoft/lease");
    const results = await Promise.allSettled([monitor.runMonitor(options()), monitor.runMonitor(options())]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(LeaseBusyError);
  });

  it("results are kept 30 days: older checks and alerts are pruned", async () => {
    expect(await db.healthCheck.count()).toBeGreaterThan(0);
    clock += 31 * DAY;
    await db.mailboxHealth.updateMany({ data: { alertsPaused: true } }); // no mail for this one
    await monitor.runMonitor(options());
    const oldest = await db.healthCheck.findFirstOrThrow({ orderBy: { createdAt: "asc" } });
    expect(oldest.createdAt.getTime()).toBeGreaterThanOrEqual(clock - 30 * DAY);
    expect(await db.alertEvent.count({ where: { createdAt: { lt: new Date(clock - 30 * DAY) } } })).toBe(0);
  });

  it("the relay refusing: one alert however many refusals arrive at once, signed to the webhook", async () => {
    const { alertRelayRefusal } = await import("@/lib/alerts/relay-alert");
    const hooks = receiver.received.length;
    const notify = async () => ({ sent: false as const, reason: "test" });
    const raised = await Promise.all(
      [1, 2, 3, 4, 5].map((i) => alertRelayRefusal(`Microsoft answered 451 4.7.500 Server busy (${i})`, { notify })),
    );
    expect(raised.filter((r) => r !== null).map((r) => r!.kind)).toEqual(["relay.refused"]);
    expect(receiver.received.slice(hooks).map((h) => h.headers["x-mail-connect-event"])).toEqual(["relay.refused"]);
    expectSigned(receiver.received.at(-1)!);
    expect(await alertRelayRefusal("again", { notify })).toBeNull(); // within the day
  });
});
