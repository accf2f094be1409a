import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import MailComposer from "nodemailer/lib/mail-composer";
import { SEED_USERS, type RunningSandbox } from "@mail-connect/m365-sandbox";
import { useConnectedMailStack } from "../../../test/support/mail-checks";
import {
  type GatewayHandle,
  gatewayClient,
  imapCredential,
  RawImap,
  startImapGatewayRuntime,
} from "../../../test/support/imap-gateway-stack";

/** imapflow → the IMAP gateway (LOGIN <mailbox> <relay credential>) → XOAUTH2 to the sandbox's Exchange. */
const approvals = SEED_USERS.approvals.email;
let sandbox: RunningSandbox;
let gateway: GatewayHandle;
let secret: string;
useConnectedMailStack((started) => {
  sandbox = started;
});

beforeAll(async () => {
  gateway = await startImapGatewayRuntime(sandbox);
  secret = (await imapCredential("approval-reader", [approvals])).secret;
});
afterAll(async () => {
  await gateway?.runtime.stop();
});
beforeEach(async () => {
  const { db } = await import("@/lib/db/client");
  await db.relayCounter.deleteMany();
});

const message = (subject: string, body = "APPROVED") =>
  [
    "From: Jane <jane@example.com>",
    `To: ${approvals}`,
    `Subject: ${subject}`,
    "Date: Tue, 01 Dec 2026 10:00:00 +0000",
    `Message-ID: <${Math.random().toString(16).slice(2)}@example.com>`,
    "",
    body,
    "",
  ].join("\r\n");

async function lastLogin() {
  const { recentImapLogins } = await import("@/lib/relay/imap/imap-repository");
  return (await recentImapLogins(1))[0];
}

describe("the IMAP gateway relays a Microsoft 365 session", () => {
  it("signs in (AUTHENTICATE PLAIN), lists folders and selects INBOX, and records the sign-in", async () => {
    await sandbox.control.deliver(approvals, message("Re: Approve release 7"));
    const c = gatewayClient(gateway, { user: approvals, pass: secret });
    await c.connect();
    try {
      const folders = (await c.list()).map((f) => f.path);
      expect(folders).toEqual(expect.arrayContaining(["INBOX", "Sent Items", "Deleted Items"]));
      const box = await c.mailboxOpen("INBOX");
      expect(box.exists).toBeGreaterThanOrEqual(1);
      const subjects: string[] = [];
      for await (const m of c.fetch("1:*", { envelope: true })) subjects.push(m.envelope?.subject ?? "");
      expect(subjects).toContain("Re: Approve release 7");
      // after login the capabilities are Exchange's own (the gateway relays the session)
      expect(c.capabilities.has("IDLE")).toBe(true);
    } finally {
      await c.logout();
    }
    expect(await lastLogin()).toMatchObject({
      credentialName: "approval-reader",
      mailbox: approvals,
      outcome: "signed-in",
    });
    const { listCredentials } = await import("@/lib/relay/credential-repository");
    const { imapTodayCounts } = await import("@/lib/relay/imap/imap-repository");
    const [cred] = await listCredentials();
    expect(await imapTodayCounts(cred.id)).toEqual({ logins: 1, refused: 0 });
    expect(JSON.stringify(await lastLogin())).not.toContain(secret);
  });

  it("before login offers only what it supports; LOGIN with literals; then the client's commands reach Exchange", async () => {
    const { raw, greeting } = await RawImap.open(gateway);
    try {
      expect(greeting).toBe(
        "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] Mail Connect IMAP gateway ready (Microsoft 365 behind it)\r\n",
      );
      expect(await raw.command("a1", "CAPABILITY")).toBe(
        "* CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR\r\na1 OK CAPABILITY completed\r\n",
      );
      expect(await raw.command("a2", "SELECT INBOX")).toMatch(/^a2 BAD Log in first/m);
      expect(await raw.command("a3", "NOOP")).toBe("a3 OK NOOP completed\r\n");
      raw.send(`a4 LOGIN {${approvals.length}}\r\n`);
      await raw.until(/^\+ [^\r\n]*\r\n/m);
      raw.send(`${approvals} {${secret.length}}\r\n`);
      await raw.until(/^\+ [^\r\n]*\r\n/m);
      raw.send(`${secret}\r\n`);
      expect(await raw.until(/^a4 [^\r\n]*\r\n/m)).toBe("a4 OK LOGIN completed\r\n");
      expect(await raw.command("a5", "SELECT INBOX")).toMatch(/^a5 OK \[READ-WRITE\] SELECT completed\.\r\n$/m);
      expect(await raw.command("a6", "LOGOUT")).toContain("* BYE Microsoft Exchange Server IMAP4 server signing off.");
    } finally {
      raw.close();
    }
  });

  it("FETCHes a large message (3 MB) byte for byte", async () => {
    const attachment = Buffer.alloc(3 * 1024 * 1024);
    for (let i = 0; i < attachment.length; i++) attachment[i] = (i * 7919) % 256;
    const raw = await new MailComposer({
      from: "jane@example.com",
      to: approvals,
      subject: "Large attachment",
      text: "see attached",
      attachments: [{ filename: "big.bin", content: attachment }],
    })
      .compile()
      .build();
    const { uid } = await sandbox.control.deliver(approvals, raw.toString("utf8"));
    const c = gatewayClient(gateway, { user: approvals, pass: secret });
    await c.connect();
    try {
      await c.mailboxOpen("INBOX");
      const fetched = await c.fetchOne(String(uid), { source: true }, { uid: true });
      expect(fetched ? fetched.source?.length : 0).toBeGreaterThan(4 * 1024 * 1024);
      expect(fetched ? fetched.source?.equals(raw) : false).toBe(true);
    } finally {
      await c.logout();
    }
  });

  it("IDLE: a message delivered to the mailbox is announced through the gateway", async () => {
    const c = gatewayClient(gateway, { user: approvals, pass: secret });
    await c.connect();
    try {
      const before = (await c.mailboxOpen("INBOX")).exists; // imapflow updates the mailbox object in place
      const announced = new Promise<number>((resolve) =>
        c.on("exists", (e: { count: number }) => {
          if (e.count > before) resolve(e.count);
        }),
      );
      const idling = c.idle();
      await new Promise((r) => setTimeout(r, 300));
      await sandbox.control.deliver(approvals, message("Re: Approve release 8"));
      expect(await announced).toBe(before + 1);
      await c.noop(); // ends IDLE
      await idling;
    } finally {
      await c.logout();
    }
  });
});
