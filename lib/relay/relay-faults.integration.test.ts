import net from "node:net";
import tls from "node:tls";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { RunningSandbox } from "@mail-connect/m365-sandbox";
import { ADMIN, useConnectedMailStack } from "../../test/support/mail-checks";
import {
  createRelayCredential,
  refusal,
  relayClient,
  type RelayHandle,
  startRelay,
} from "../../test/support/relay-stack";

/** Each bad input and each Microsoft fault, as the relay's client sees it. */
let sandbox: RunningSandbox;
let relay: RelayHandle;
let secret: string;
useConnectedMailStack((started) => {
  sandbox = started;
});
beforeAll(async () => {
  relay = await startRelay(sandbox, { socketTimeoutMs: 700 });
  secret = (await createRelayCredential("faults", { allowedFrom: "mailer@contoso.test shared@contoso.test" })).secret;
});
afterAll(async () => {
  await relay?.runtime.stop();
});
beforeEach(async () => {
  const { db } = await import("@/lib/db/client");
  await db.relayCounter.deleteMany();
  await sandbox.control.setSmtpFault("none");
});

const message = (over: Record<string, unknown> = {}) => ({
  from: "mailer@contoso.test",
  to: ADMIN.email,
  subject: `fault ${Math.random().toString(16).slice(2, 8)}`,
  text: "x",
  ...over,
});
const client = () => relayClient(relay, { user: "faults", pass: secret });

describe("bad input", () => {
  it("MAIL without AUTH: 530 5.7.0", async () => {
    expect(await refusal(relayClient(relay, null).sendMail(message()))).toMatch(/^530 5\.7\.0 Authentication required/);
  });

  it("a wrong password: 535, and after 10 failures even the right one is refused for a while (454)", async () => {
    const wrong = () => refusal(relayClient(relay, { user: "faults", pass: "mcr_wrong" }).verify());
    expect(await wrong()).toMatch(/^535 5\.7\.8 Authentication credentials invalid/);
    for (let i = 0; i < 9; i++) await wrong();
    expect(await refusal(client().verify())).toMatch(/^454 4\.7\.0 Too many failed sign-ins/);
    const { db } = await import("@/lib/db/client");
    await db.relayCounter.deleteMany();
    expect(await client().verify()).toBe(true);
  });

  it("a From the credential may not use: 550 5.7.1 naming the allowed addresses (envelope, From:, Sender:)", async () => {
    const envelope = await refusal(client().sendMail(message({ from: "other@contoso.test" })));
    expect(envelope).toMatch(
      /^550 5\.7\.1 .*<other@contoso\.test>; allowed: mailer@contoso\.test, shared@contoso\.test/,
    );
    const header = await refusal(
      client().sendMail(
        message({ from: "other@contoso.test", envelope: { from: "mailer@contoso.test", to: ADMIN.email } }),
      ),
    );
    expect(header).toMatch(/^550 5\.7\.1 .*<other@contoso\.test> \(From:\/Sender:\); allowed: mailer@contoso\.test/);
    const sender = await refusal(client().sendMail(message({ sender: "intruder@contoso.test" })));
    expect(sender).toMatch(/^550 5\.7\.1 .*<intruder@contoso\.test>/);
  });

  it("a message over the size limit: 552, and Microsoft never sees it", async () => {
    const { db } = await import("@/lib/db/client");
    await db.relaySettings.update({ where: { id: 1 }, data: { maxMessageBytes: 20_000 } });
    await relay.runtime.sync(); // the listener restarts with the new limit
    relay = { ...relay, port: relay.runtime.port()! };
    const before = (await sandbox.control.smtpSessions()).sessions;
    const big = await refusal(client().sendMail(message({ text: "y".repeat(30_000) })));
    expect(big).toMatch(/^552 /);
    expect((await sandbox.control.smtpSessions()).sessions).toBe(before);
    await db.relaySettings.update({ where: { id: 1 }, data: { maxMessageBytes: 36_700_160 } });
    await relay.runtime.sync();
    relay = { ...relay, port: relay.runtime.port()! };
  });

  it("a client that stalls is dropped after the timeout", async () => {
    const socket = net.connect(relay.port, "127.0.0.1");
    const received: string[] = [];
    socket.on("data", (d) => received.push(d.toString()));
    const closedAfter = await new Promise<number>((resolve) => {
      const started = Date.now();
      socket.on("close", () => resolve(Date.now() - started));
    });
    expect(received.join("")).toMatch(/^220 /);
    expect(received.join("")).toMatch(/421 Timeout/);
    expect(closedAfter).toBeLessThan(5_000);
  });

  it("a revoked credential: the open session's next message and every new sign-in are refused", async () => {
    const { credential, secret: s } = await createRelayCredential("to-revoke");
    const open = relayClient(relay, { user: "to-revoke", pass: s }, { pool: true, maxConnections: 1 } as never);
    await open.sendMail(message());
    const { revokeCredential } = await import("@/lib/relay/credential-repository");
    await revokeCredential(credential.id);
    expect(await refusal(open.sendMail(message()))).toMatch(/^535 5\.7\.8 The credential to-revoke was revoked/);
    open.close();
    expect(await refusal(relayClient(relay, { user: "to-revoke", pass: s }).verify())).toMatch(/^535 /);
  });

  it("STARTTLS offers TLS 1.2 or newer only", async () => {
    const handshake = async (version: "TLSv1.1" | "TLSv1.2") => {
      const socket = net.connect(relay.port, "127.0.0.1");
      const lines: string[] = [];
      socket.on("data", (d) => lines.push(d.toString()));
      const waitFor = async (re: RegExp) => {
        for (let i = 0; i < 50 && !re.test(lines.join("")); i++) await new Promise((r) => setTimeout(r, 20));
      };
      await waitFor(/^220 /m);
      socket.write("EHLO probe\r\n");
      await waitFor(/250 /);
      socket.write("STARTTLS\r\n");
      await waitFor(/220 .*TLS|220 Ready/i);
      socket.removeAllListeners("data");
      return new Promise<string>((resolve) => {
        const secure = tls.connect({
          socket,
          minVersion: "TLSv1",
          maxVersion: version,
          ciphers: "DEFAULT:@SECLEVEL=0",
          rejectUnauthorized: false,
        });
        secure.once("secureConnect", () => {
          resolve(secure.getProtocol() ?? "?");
          secure.destroy();
        });
        secure.once("error", (e) => resolve(`refused: ${e.message}`));
      });
    };
    expect(await handshake("TLSv1.1")).toMatch(/^refused/);
    expect(await handshake("TLSv1.2")).toBe("TLSv1.2");
  });

  it("a credential used outside its allowed source addresses: 535", async () => {
    const { secret: s } = await createRelayCredential("lan-only", { allowedCidrs: "10.0.0.0/8" });
    expect(await refusal(relayClient(relay, { user: "lan-only", pass: s }).verify())).toMatch(
      /^535 5\.7\.8 The credential lan-only may not be used from 127\.0\.0\.1/,
    );
  });
});

describe("Microsoft's answers and faults", () => {
  it("Microsoft refusing (554 5.2.0): its code and text passed through", async () => {
    await sandbox.control.setSmtpFault("refused", 1);
    expect(await refusal(client().sendMail(message()))).toMatch(/^554 5\.2\.0 STOREDRV\.Submission\.Exception/);
    const { recentActivity } = await import("@/lib/relay/relay-repository");
    await (await import("@/lib/relay/activity-log")).flushActivity();
    expect((await recentActivity(1))[0]).toMatchObject({ outcome: "refused" });
  });

  it("Microsoft throttling (432 4.3.2, 451 4.7.500): 451 with Microsoft's reason, and the next message goes through", async () => {
    await sandbox.control.setSmtpFault("throttled", 1);
    expect(await refusal(client().sendMail(message()))).toMatch(
      /^451 4\.3\.2 STOREDRV\.ClientSubmit; sender thread limit exceeded/,
    );
    await sandbox.control.setSmtpFault("busy", 1);
    expect(await refusal(client().sendMail(message()))).toMatch(/^451 4\.7\.500 Server busy/);
    const { getRelayState } = await import("@/lib/relay/relay-repository");
    await new Promise((r) => setTimeout(r, 100));
    expect((await getRelayState()).lastUpstreamError).toMatch(/4\.7\.500 Server busy/);
    // the refusals raise one alert (lib/alerts/relay-alert.ts), not one per refused message
    const { db } = await import("@/lib/db/client");
    await expect.poll(() => db.alertEvent.count({ where: { kind: "relay.refused" } }), { timeout: 5000 }).toBe(1);
    const ok = await client().sendMail(message());
    expect(ok.response).toMatch(/^250 2\.0\.0 OK/);
  });

  it("Microsoft unavailable: 451 4.4.1 with the reason; the connection's state records it", async () => {
    (await relay.runtime.upstreamPool()).closeIdle();
    await sandbox.control.setSmtpFault("unavailable", 1);
    const answer = await refusal(client().sendMail(message()));
    expect(answer).toMatch(
      /^451 4\.4\.1 Microsoft is unreachable \(127\.0\.0\.1:\d+\): .*421 4\.3\.2 Service not available/,
    );
    const { getRelayState } = await import("@/lib/relay/relay-repository");
    await new Promise((r) => setTimeout(r, 100));
    expect((await getRelayState()).lastUpstreamError).toMatch(/Microsoft unreachable/);
  });

  it("the connection needing re-authorization: 454 4.7.0 with the reason, nothing acknowledged", async () => {
    (await relay.runtime.upstreamPool()).closeIdle();
    const { db } = await import("@/lib/db/client");
    const [row] = await db.oAuthConnection.findMany({ where: { account: "mailer@contoso.test" } });
    await db.oAuthConnection.update({
      where: { id: row.id },
      data: { status: "needs_reauth", lastError: "The refresh token was revoked (AADSTS50173)." },
    });
    try {
      const answer = await refusal(client().sendMail(message()));
      expect(answer).toMatch(/^454 4\.7\.0 The Microsoft connection needs re-authorization: .*AADSTS50173/);
    } finally {
      await db.oAuthConnection.update({ where: { id: row.id }, data: { status: "connected", lastError: null } });
    }
  });

  it("Exchange's limits answered 4xx before Microsoft: 30 messages a minute, 500 recipients a message", async () => {
    const { bump } = await import("@/lib/relay/counters");
    await bump("mbx-min:mailer@contoso.test", "minute", 30);
    expect(await refusal(client().sendMail(message()))).toMatch(
      /^451 4\.7\.0 Exchange Online accepts 30 messages a minute/,
    );
    const { db } = await import("@/lib/db/client");
    await db.relayCounter.deleteMany();
    const to = Array.from({ length: 501 }, (_, i) => `r${i}@example.net`);
    const many = await client()
      .sendMail(message({ to }))
      .catch((e: { rejected?: string[]; response?: string }) => e);
    expect("rejected" in many ? many.rejected : []).toEqual(["r500@example.net"]);
  });

  it("the per-credential rate limit: 4xx once it is used up", async () => {
    const { secret: s } = await createRelayCredential("slow", { ratePerMinute: 2 });
    const slow = relayClient(relay, { user: "slow", pass: s });
    await slow.sendMail(message());
    await slow.sendMail(message());
    expect(await refusal(slow.sendMail(message()))).toMatch(
      /^451 4\.7\.0 The credential slow may send 2 messages a minute/,
    );
  });
});
