import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { RunningSandbox } from "@mail-connect/m365-sandbox";
import { ADMIN, useConnectedMailStack } from "../../test/support/mail-checks";
import { createRelayCredential, relayClient, type RelayHandle, startRelay } from "../../test/support/relay-stack";

/**
 * /api/metrics: hidden (404) without METRICS_TOKEN, 401 without the right bearer token, and with it the
 * Prometheus text whose counters move after a relay message and a Test Email Configuration run, and
 * whose gauges are read from the database.
 */
let sandbox: RunningSandbox;
let relay: RelayHandle;
let secret: string;
useConnectedMailStack((started) => {
  sandbox = started;
});
beforeAll(async () => {
  relay = await startRelay(sandbox);
  secret = (await createRelayCredential("metrics")).secret;
});
afterAll(async () => {
  await relay?.runtime.stop();
});
afterEach(() => {
  delete process.env.METRICS_TOKEN;
});

const TOKEN = "metrics-token-0123456789abcdef";

async function scrape(authorization?: string): Promise<{ status: number; type: string | null; body: string }> {
  const { GET } = await import("@/app/api/metrics/route");
  const res = await GET(
    new Request("https://localhost:3443/api/metrics", { headers: authorization ? { authorization } : {} }),
  );
  return { status: res.status, type: res.headers.get("content-type"), body: await res.text() };
}

/** The value of one series (labels given in the order prom-client writes them, instance first), or 0. */
function value(body: string, name: string, labels: Record<string, string>): number {
  const line = body
    .split("\n")
    .find((l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)));
  return line ? Number(line.slice(line.lastIndexOf(" ") + 1)) : 0;
}

describe("/api/metrics", () => {
  it("answers 404 while METRICS_TOKEN is unset, even with a token", async () => {
    expect((await scrape()).status).toBe(404);
    expect((await scrape(`Bearer ${TOKEN}`)).status).toBe(404);
  });

  it("answers 401 without a token or with a wrong one", async () => {
    process.env.METRICS_TOKEN = TOKEN;
    for (const header of [undefined, `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, TOKEN, "Bearer "]) {
      const answer = await scrape(header);
      expect(answer.status, String(header)).toBe(401);
      expect(answer.body).not.toContain("mailconnect_");
    }
  });

  it("with the token: Prometheus text, per instance; counters move after a relay message and a test run", async () => {
    process.env.METRICS_TOKEN = TOKEN;
    const { INSTANCE_ID } = await import("@/lib/microsoft/lease");
    const before = await scrape(`Bearer ${TOKEN}`);
    expect(before.status).toBe(200);
    expect(before.type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(before.body).toContain("# TYPE mailconnect_relay_messages_total counter");
    expect(before.body).toContain(
      `mailconnect_connection_status{role="smtp",mailbox="mailer@contoso.test",status="healthy",instance="${INSTANCE_ID}"} 1`,
    );
    const relayed = (body: string) => value(body, "mailconnect_relay_messages_total", { outcome: "relayed" });
    const refused = (body: string) => value(body, "mailconnect_relay_messages_total", { outcome: "refused" });
    const smtpChecks = (body: string) =>
      value(body, "mailconnect_checks_total", { mailbox: "mailer@contoso.test", protocol: "smtp", source: "test" });

    await relayClient(relay, { user: "metrics", pass: secret }).sendMail({
      from: "mailer@contoso.test",
      to: ADMIN.email,
      subject: "metrics",
      text: "counted",
    });
    await relayClient(relay, { user: "metrics", pass: secret })
      .sendMail({ from: "someone-else@contoso.test", to: ADMIN.email, subject: "x", text: "refused" })
      .catch(() => undefined);

    const { db } = await import("@/lib/db/client");
    const admin = await db.user.upsert({
      where: { email: ADMIN.email },
      update: {},
      create: { id: "metrics-admin", name: "Admin", email: ADMIN.email, emailVerified: true },
    });
    const { testEmailConfiguration } = await import("@/lib/mail/test-email");
    const { run } = await testEmailConfiguration(
      { id: admin.id, email: admin.email, name: admin.name },
      { tls: { ca: sandbox.caCert } },
    );
    expect(run.ok).toBe(true);

    const after = await scrape(`Bearer ${TOKEN}`);
    expect(relayed(after.body)).toBe(relayed(before.body) + 1);
    expect(refused(after.body)).toBe(refused(before.body) + 1);
    expect(smtpChecks(after.body)).toBe(smtpChecks(before.body) + 1);
    expect(
      value(after.body, "mailconnect_checks_total", {
        mailbox: "approvals@contoso.test",
        protocol: "imap",
        source: "test",
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(after.body).toMatch(
      new RegExp(`mailconnect_relay_messages_total\\{outcome="relayed",instance="${INSTANCE_ID}"\\}`),
    );
    expect(after.body).not.toContain(secret);
  });

  it("reads the credential's days to expiry from the database at scrape time", async () => {
    process.env.METRICS_TOKEN = TOKEN;
    const { db } = await import("@/lib/db/client");
    await db.emailSettings.update({
      where: { id: 1 },
      data: { msClientSecretExpiresAt: new Date(Date.now() + 10.5 * 24 * 3600 * 1000) },
    });
    const { body } = await scrape(`Bearer ${TOKEN}`);
    expect(value(body, "mailconnect_credential_expiry_days", { credential: "client_secret" })).toBe(10);
  });

  it("counts token refreshes at Microsoft (not answers from the cache)", async () => {
    process.env.METRICS_TOKEN = TOKEN;
    const refreshes = (body: string) =>
      value(body, "mailconnect_token_refreshes_total", { connection_type: "delegated" });
    const before = refreshes((await scrape(`Bearer ${TOKEN}`)).body);
    const { acquireMailToken } = await import("@/lib/microsoft/mail-token");
    await acquireMailToken("smtp", { forceRefresh: true });
    await acquireMailToken("smtp"); // from the cache: not a refresh
    expect(refreshes((await scrape(`Bearer ${TOKEN}`)).body)).toBe(before + 1);
  });
});
