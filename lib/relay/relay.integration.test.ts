import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import MailComposer from "nodemailer/lib/mail-composer";
import type { RunningSandbox } from "@mail-connect/m365-sandbox";
import { ADMIN, useConnectedMailStack } from "../../test/support/mail-checks";
import { createRelayCredential, relayClient, type RelayHandle, startRelay } from "../../test/support/relay-stack";

/** nodemailer → the relay → the sandbox's Exchange (XOAUTH2 with the stored connection) → a mailbox. */
let sandbox: RunningSandbox;
let relay: RelayHandle;
let secret: string;
useConnectedMailStack((started) => {
  sandbox = started;
});

beforeAll(async () => {
  relay = await startRelay(sandbox);
  secret = (await createRelayCredential("product")).secret;
});
afterAll(async () => {
  await relay?.runtime.stop();
});
beforeEach(async () => {
  const { db } = await import("@/lib/db/client");
  await db.relayCounter.deleteMany();
});

const subjectOf = (tag: string) => `relay ${tag} ${Math.random().toString(16).slice(2, 8)}`;

describe("the SMTP relay forwards to Microsoft before it answers", () => {
  it("relays a plain-text message and answers with Microsoft's own 250 reply", async () => {
    const subject = subjectOf("plain");
    const info = await relayClient(relay, { user: "product", pass: secret }).sendMail({
      from: "mailer@contoso.test",
      to: ADMIN.email,
      subject,
      text: "Hello through the relay.",
    });
    // the sandbox's Exchange reply, passed through
    expect(info.response).toMatch(/^250 2\.0\.0 OK <[0-9A-F]{24}@.+> \[Hostname=.+\] Queued mail for delivery$/);
    const inbox = await sandbox.control.messages(ADMIN.email);
    const mail = inbox.find((m) => m.subject === subject);
    expect(mail?.raw).toContain("Hello through the relay.");

    const { recentActivity, todayCounts } = await import("@/lib/relay/relay-repository");
    await (await import("@/lib/relay/activity-log")).flushActivity(); // bookkeeping runs after the answer
    const [last] = await recentActivity(1);
    expect(last).toMatchObject({
      credentialName: "product",
      mailFrom: "mailer@contoso.test",
      recipients: 1,
      outcome: "relayed",
    });
    expect(last.reply).toMatch(/^250 2\.0\.0 OK/);
    expect(JSON.stringify(last)).not.toContain("Hello through the relay");
    const { listCredentials } = await import("@/lib/relay/credential-repository");
    const [cred] = await listCredentials();
    expect(cred.lastUsedAt).not.toBeNull();
    expect((await todayCounts(cred.id)).relayed).toBeGreaterThanOrEqual(1);
  });

  it("relays an attachment and UTF-8 headers unchanged (the bytes Microsoft gets are the client's)", async () => {
    const subject = `${subjectOf("utf8")} Grüße — ✓ 日本語`;
    const attachment = Buffer.from(Array.from({ length: 40_000 }, (_, i) => i % 251));
    const raw = await new MailComposer({
      from: { name: "Zoë Mailer", address: "mailer@contoso.test" },
      to: ADMIN.email,
      subject,
      text: "Ünïcödé body\n.\n..a line that starts with dots",
      attachments: [{ filename: "données.bin", content: attachment }],
    })
      .compile()
      .build();
    await relayClient(relay, { user: "product", pass: secret }).sendMail({
      envelope: { from: "mailer@contoso.test", to: [ADMIN.email] },
      raw,
    });
    const mail = (await sandbox.control.messages(ADMIN.email)).find((m) => m.raw.includes(subject.slice(11, 17)));
    expect(mail).toBeDefined();
    // SMTP carries lines ending in CRLF (the client converts bare LFs): otherwise byte for byte
    const lines = (text: string) => text.replace(/\r?\n/g, "\r\n").replace(/\r\n$/, "");
    expect(lines(mail!.raw)).toBe(lines(raw.toString("utf8")));
    expect(mail!.raw).toMatch(/From: =\?UTF-8\?Q\?Zo=C3=AB_Mailer\?= <mailer@contoso\.test>/);
  });

  it("relays one message to 20 recipients", async () => {
    const to = Array.from({ length: 20 }, (_, i) => `person${i + 1}@example.net`);
    const subject = subjectOf("twenty");
    const info = await relayClient(relay, { user: "product", pass: secret }).sendMail({
      from: "mailer@contoso.test",
      to,
      subject,
      text: "to twenty",
    });
    expect(info.accepted).toHaveLength(20);
    const entry = (await sandbox.control.outbox()).find((o) => o.raw.includes(subject));
    expect(entry?.rcptTo).toEqual(to);
    expect(entry?.authenticatedAs).toBe("mailer@contoso.test");
  });

  it("reuses its session to Microsoft for the next messages (no new connection, no token request)", async () => {
    const client = relayClient(relay, { user: "product", pass: secret });
    await client.sendMail({ from: "mailer@contoso.test", to: ADMIN.email, subject: subjectOf("warm"), text: "1" });
    const sessionsBefore = (await sandbox.control.smtpSessions()).sessions;
    await sandbox.control.clearTokenCalls();
    for (let i = 0; i < 3; i++)
      await client.sendMail({
        from: "mailer@contoso.test",
        to: ADMIN.email,
        subject: subjectOf(`warm${i}`),
        text: "n",
      });
    expect((await sandbox.control.smtpSessions()).sessions).toBe(sessionsBefore);
    expect(await sandbox.control.tokenCalls()).toHaveLength(0);
  });

  it("stops listening when disabled on the Relay page, and starts again when enabled", async () => {
    const { setRelayEnabled } = await import("@/lib/relay/relay-repository");
    await setRelayEnabled(false, ADMIN.email);
    await relay.runtime.sync();
    expect(relay.runtime.port()).toBeNull();
    const refused = await relayClient(relay, { user: "product", pass: secret })
      .verify()
      .catch((e: { code?: string }) => e.code);
    expect(refused).toBe("ESOCKET");
    await setRelayEnabled(true, ADMIN.email);
    await relay.runtime.sync();
    const port = relay.runtime.port();
    expect(port).not.toBeNull();
    relay = { ...relay, port: port! };
    expect(await relayClient(relay, { user: "product", pass: secret }).verify()).toBe(true);
  });

  it("on stop (SIGTERM) refuses new sessions and lets the message in flight finish with Microsoft's answer", async () => {
    await sandbox.control.setLatency({ smtp: 400 });
    try {
      const inFlight = relayClient(relay, { user: "product", pass: secret }).sendMail({
        from: "mailer@contoso.test",
        to: ADMIN.email,
        subject: subjectOf("sigterm"),
        text: "finishing",
      });
      await new Promise((r) => setTimeout(r, 300)); // connected, in the transaction
      const stopped = relay.runtime.stop();
      await new Promise((r) => setTimeout(r, 50));
      const late = await relayClient(relay, { user: "product", pass: secret })
        .verify()
        .catch((e: { code?: string }) => e.code);
      expect(late).toBe("ESOCKET");
      expect((await inFlight).response).toMatch(/^250 2\.0\.0 OK/);
      await stopped;
    } finally {
      await sandbox.control.setLatency({ smtp: 0 });
    }
  });
});
