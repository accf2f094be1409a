import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations } from "@/lib/db/migrate";
import { databaseUrl } from "@/lib/db/database-url";
import { ADMIN, authorizeAs, configure, startTestSandbox } from "../../test/support/sandbox-oauth";
import { startWebhookReceiver } from "../../test/support/webhook-receiver";
import type { RunningSandbox } from "@mail-connect/m365-sandbox";
import { SEED_USERS } from "@mail-connect/m365-sandbox";

/**
 * The health monitor's credential-expiry events, on a clock the test controls: the client secret
 * entering its 30-day window raises one alert (email + signed webhook) with the renewal steps, nothing
 * at the next checks, one more at 7 days, and one when it has expired.
 */
process.env.WEBHOOK_ALLOW_PRIVATE = "1";
const DAY = 86_400_000;

let sandbox: RunningSandbox;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let db: typeof import("@/lib/db/client").db;
let monitor: typeof import("@/lib/monitor/run-monitor");
let emailAdmins: typeof import("@/lib/mail/notify-admins").emailAdmins;
const start = Date.now();
let clock = start;

const options = () => ({
  now: () => new Date(clock),
  tls: { ca: sandbox.caCert },
  notify: (subject: string, text: string) => emailAdmins(subject, text, { tls: { ca: sandbox.caCert } }),
  webhook: { retryDelaysMs: [20] },
});
const expiryAlerts = async () =>
  (await monitor.runMonitor(options())).alerts.filter((a) => a.kind === "credential.expiring");

beforeAll(async () => {
  await applyMigrations(databaseUrl());
  sandbox = await startTestSandbox();
  receiver = await startWebhookReceiver();
  ({ db } = await import("@/lib/db/client"));
  monitor = await import("@/lib/monitor/run-monitor");
  ({ emailAdmins } = await import("@/lib/mail/notify-admins"));
  await configure(sandbox);
  await db.user.create({ data: { id: ADMIN.id, name: ADMIN.name, email: ADMIN.email, emailVerified: true } });
  await authorizeAs(sandbox, "smtp", SEED_USERS.mailer);
  await authorizeAs(sandbox, "imap", SEED_USERS.approvals);
  const { saveMonitorSettings } = await import("@/lib/monitor/monitor-settings-repository");
  await saveMonitorSettings(
    { intervalMinutes: 15, webhookUrl: receiver.url, webhookSecret: "whsec-test-0123456789abcdef", version: 0 },
    ADMIN.email,
  );
  // the client secret expires in 20 days (as entered with it on Email Settings)
  await db.emailSettings.update({ where: { id: 1 }, data: { msClientSecretExpiresAt: new Date(start + 20 * DAY) } });
});
afterAll(async () => {
  await receiver?.stop();
  await sandbox?.stop();
});

describe("credential expiry alerts", () => {
  it("once per window: 30 days, 7 days, expired — with the renewal steps, by email and webhook", async () => {
    const first = await expiryAlerts();
    expect(first.map((a) => [a.target, a.email?.sent, a.webhook?.ok])).toEqual([
      [
        expect.stringMatching(/^The app registration's client secret, \d{4}-\d{2}-\d{2} \(30-day warning\)$/),
        true,
        true,
      ],
    ]);
    const hook = receiver.received.find((h) => h.headers["x-mail-connect-event"] === "credential.expiring");
    const body = JSON.parse(hook!.body) as { hint: string; facts: Record<string, unknown> };
    expect(body.hint).toMatch(/Certificates & secrets → Client secrets → New client secret/);
    expect(body.facts).toMatchObject({ credential: "client-secret", window: "30", daysLeft: 20 });

    clock += DAY; // still in the 30-day window: nothing more
    expect(await expiryAlerts()).toEqual([]);

    clock = start + 14 * DAY; // 6 days left
    expect((await expiryAlerts()).map((a) => a.target)).toEqual([expect.stringMatching(/\(7-day warning\)$/)]);
    expect(await expiryAlerts()).toEqual([]);

    clock = start + 21 * DAY;
    expect((await expiryAlerts()).map((a) => a.target)).toEqual([expect.stringMatching(/\(expired\)$/)]);
    const subjects = (await sandbox.control.messages(ADMIN.email)).map((m) => m.subject ?? "");
    expect(subjects.filter((s) => s.startsWith("Mail Connect: The app registration's client secret"))).toHaveLength(3);
  });
});
