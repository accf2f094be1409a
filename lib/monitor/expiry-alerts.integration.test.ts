import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN } from "../../test/support/sandbox-oauth";
import { startMonitorStack } from "../../test/support/monitor-stack";

/**
 * The health monitor's credential-expiry events, on a clock the test controls: the client secret
 * entering its 30-day window raises one alert (email + signed webhook) with the renewal steps, nothing
 * at the next checks, one more at 7 days, and one when it has expired.
 */
const DAY = 86_400_000;

let stack: Awaited<ReturnType<typeof startMonitorStack>>;
const start = Date.now();
let clock = start;

const expiryAlerts = async () =>
  (await stack.monitor.runMonitor(stack.options(() => clock, [20]))).alerts.filter(
    (a) => a.kind === "credential.expiring",
  );

beforeAll(async () => {
  stack = await startMonitorStack("whsec-test-0123456789abcdef");
  // the client secret expires in 20 days (as entered with it on Email Settings)
  await stack.db.emailSettings.update({
    where: { id: 1 },
    data: { msClientSecretExpiresAt: new Date(start + 20 * DAY) },
  });
});
afterAll(async () => {
  await stack?.stop();
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
    const hook = stack.receiver.received.find((h) => h.headers["x-mail-connect-event"] === "credential.expiring");
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
    const subjects = (await stack.sandbox.control.messages(ADMIN.email)).map((m) => m.subject ?? "");
    expect(subjects.filter((s) => s.startsWith("Mail Connect: The app registration's client secret"))).toHaveLength(3);
  });
});
