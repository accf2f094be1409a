import { connect, type TLSSocket } from "node:tls";
import { ImapFlow } from "imapflow";
import { describe, expect, it } from "vitest";
import { msalFor, signInWithMsal, type TestSandbox, useTestSandbox } from "./fixture";
import { SEED_SHARED_MAILBOX, SEED_USERS } from "./seed";

let sb: TestSandbox;
useTestSandbox((started) => {
  sb = started;
});

const IMAP_SCOPE = "https://outlook.office.com/IMAP.AccessAsUser.All";
const approvals = SEED_USERS.approvals.email;

const REPLY = [
  'From: "Mail Connect Sender" <mailer@contoso.test>',
  'To: Approvals <approvals@contoso.test>, "Doe, Jane" <jane@example.com>',
  "Subject: Re: Approve release 42",
  "Date: Tue, 24 Nov 2026 10:00:00 +0000",
  "Message-ID: <reply-42@contoso.test>",
  "MIME-Version: 1.0",
  'Content-Type: multipart/alternative; boundary="b1"',
  "",
  "--b1",
  "Content-Type: text/plain; charset=utf-8",
  "",
  "APPROVED",
  "--b1",
  "Content-Type: text/html; charset=utf-8",
  "",
  "<p>APPROVED</p>",
  "--b1--",
  "",
].join("\r\n");

function client(user: string, auth: { accessToken: string } | { pass: string }): ImapFlow {
  return new ImapFlow({
    host: sb.imap.host,
    port: sb.imap.port,
    secure: true,
    tls: { ca: sb.caCert },
    auth: { user, ...auth },
    logger: false,
    disableAutoIdle: true,
  });
}

async function token(user: string, scopes: string[] = [IMAP_SCOPE]): Promise<string> {
  return (await sb.control.issueAccessToken({ user, scopes })).accessToken;
}

/** A raw IMAP conversation, for what imapflow hides (exact tagged replies, literals). */
class RawImap {
  private buffer = "";
  private waiters: Array<() => void> = [];
  private constructor(private readonly socket: TLSSocket) {
    socket.on("data", (d: Buffer) => {
      this.buffer += d.toString("utf8");
      for (const w of this.waiters.splice(0)) w();
    });
  }
  static async open(): Promise<RawImap> {
    const socket = connect({ host: sb.imap.host, port: sb.imap.port, ca: sb.caCert, servername: "localhost" });
    await new Promise<void>((resolve, reject) => {
      socket.once("secureConnect", () => resolve());
      socket.once("error", reject);
    });
    const raw = new RawImap(socket);
    await raw.until(/^\* OK .*\r\n/m);
    return raw;
  }
  async until(re: RegExp): Promise<string> {
    for (;;) {
      const m = re.exec(this.buffer);
      if (m) {
        const out = this.buffer.slice(0, m.index + m[0].length);
        this.buffer = this.buffer.slice(m.index + m[0].length);
        return out;
      }
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`timeout waiting for ${re}; have: ${this.buffer}`)), 5000);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }
  send(text: string): void {
    this.socket.write(text);
  }
  async command(tag: string, text: string): Promise<string> {
    this.send(`${tag} ${text}\r\n`);
    return this.until(new RegExp(`^${tag} (OK|NO|BAD)[^\\r\\n]*\\r\\n`, "m"));
  }
  close(): void {
    this.socket.destroy();
  }
  /** Resolves when the server has closed the connection. */
  closed(): Promise<void> {
    return this.socket.readableEnded || this.socket.destroyed
      ? Promise.resolve()
      : new Promise((resolve) => this.socket.once("end", () => resolve()));
  }
}

function xoauth2(user: string, accessToken: string): string {
  return Buffer.from(`user=${user}\x01auth=Bearer ${accessToken}\x01\x01`).toString("base64");
}

describe("IMAP with XOAUTH2", () => {
  it("imapflow: connect with an MSAL token, open INBOX, STATUS, fetch envelope and source, search, set flags", async () => {
    await sb.control.deliver(approvals, REPLY);
    const { result } = await signInWithMsal(
      sb,
      msalFor(sb),
      { email: approvals, password: SEED_USERS.approvals.password },
      { scopes: [IMAP_SCOPE] },
    );
    const c = client(approvals, { accessToken: result.accessToken });
    await c.connect();
    try {
      const mailbox = await c.mailboxOpen("INBOX");
      expect(mailbox.exists).toBe(1);
      const status = await c.status("INBOX", { messages: true, unseen: true, uidNext: true, uidValidity: true });
      expect(status).toMatchObject({ messages: 1, unseen: 1, uidNext: 2 });
      const msgs = [];
      for await (const m of c.fetch("1:*", {
        uid: true,
        flags: true,
        envelope: true,
        source: true,
        internalDate: true,
        size: true,
        bodyStructure: true,
      }))
        msgs.push(m);
      expect(msgs).toHaveLength(1);
      const m = msgs[0];
      expect(m?.uid).toBe(1);
      expect(m?.envelope?.subject).toBe("Re: Approve release 42");
      expect(m?.envelope?.messageId).toBe("<reply-42@contoso.test>");
      expect(m?.envelope?.from).toEqual([{ name: "Mail Connect Sender", address: "mailer@contoso.test" }]);
      expect(m?.envelope?.to?.map((a) => a.address)).toEqual(["approvals@contoso.test", "jane@example.com"]);
      expect(m?.source?.toString("utf8")).toBe(REPLY);
      expect(m?.size).toBe(Buffer.byteLength(REPLY));
      expect(m?.bodyStructure?.type).toBe("multipart/alternative");
      expect(m?.bodyStructure?.childNodes?.map((p) => p.type)).toEqual(["text/plain", "text/html"]);
      const part = await c.download("1", "1", { uid: true });
      const chunks: Buffer[] = [];
      if (!part.content) throw new Error("no content downloaded");
      for await (const chunk of part.content) chunks.push(chunk as Buffer);
      expect(Buffer.concat(chunks).toString("utf8")).toBe("APPROVED");

      expect(await c.search({ seen: false }, { uid: true })).toEqual([1]);
      await c.messageFlagsAdd({ uid: "1" }, ["\\Seen"], { uid: true });
      expect(await c.search({ seen: false }, { uid: true })).toEqual([]);
      expect((await sb.control.messages(approvals))[0]?.flags).toContain("\\Seen");
      const folders = await c.list();
      expect(folders.map((f) => f.path)).toEqual(expect.arrayContaining(["INBOX", "Sent Items", "Deleted Items"]));
    } finally {
      await c.logout();
    }
  });

  it("NO AUTHENTICATE failed. for an invalid token, a Graph token and a token without IMAP.AccessAsUser.All", async () => {
    const raw = await RawImap.open();
    try {
      const tokens = [
        "garbage",
        await token(approvals, ["https://graph.microsoft.com/IMAP.AccessAsUser.All"]),
        await token(approvals, ["https://outlook.office.com/SMTP.Send"]),
      ];
      let n = 0;
      for (const t of tokens)
        expect(await raw.command(`a${n++}`, `AUTHENTICATE XOAUTH2 ${xoauth2(approvals, t)}`)).toMatch(
          /^a\d NO AUTHENTICATE failed\.\r\n$/m,
        );
    } finally {
      raw.close();
    }
    const c = client(approvals, { accessToken: await token(approvals, ["SMTP.Send"]) });
    await expect(c.connect()).rejects.toMatchObject({
      authenticationFailed: true,
      response: expect.stringContaining("AUTHENTICATE failed."),
    });
  });

  it("a session whose access token expired answers its next command with * BYE Session invalidated - AccessTokenExpired and closes", async () => {
    const raw = await RawImap.open();
    try {
      const t = (await sb.control.issueAccessToken({ user: approvals, scopes: [IMAP_SCOPE], expiresInSeconds: 2 }))
        .accessToken;
      expect(await raw.command("a1", `AUTHENTICATE XOAUTH2 ${xoauth2(approvals, t)}`)).toMatch(/^a1 OK /m);
      expect(await raw.command("a2", "SELECT INBOX")).toMatch(/^a2 OK \[READ-WRITE\]/m);
      await new Promise((r) => setTimeout(r, 2100));
      raw.send("a3 NOOP\r\n");
      expect(await raw.until(/\r\n/)).toBe("* BYE Session invalidated - AccessTokenExpired\r\n");
      await raw.closed();
    } finally {
      raw.close();
    }
  });

  it("another user’s valid token: AUTHENTICATE answers OK, the next mailbox command BAD User is authenticated but not connected.", async () => {
    const otherToken = await token(SEED_USERS.other.email);
    const raw = await RawImap.open();
    try {
      // continuation form (no SASL-IR)
      raw.send("a1 AUTHENTICATE XOAUTH2\r\n");
      await raw.until(/^\+ ?\r\n/m);
      raw.send(`${xoauth2(approvals, otherToken)}\r\n`);
      expect(await raw.until(/^a1 [^\r\n]*\r\n/m)).toMatch(/a1 OK AUTHENTICATE completed\.\r\n$/);
      expect(await raw.command("a2", "SELECT INBOX")).toMatch(
        /^a2 BAD User is authenticated but not connected\.\r\n$/m,
      );
      expect(await raw.command("a3", "NOOP")).toMatch(/^a3 OK/m);
      // like Exchange Online, the second refusal closes the connection
      expect(await raw.command("a4", 'LIST "" "*"')).toMatch(/^a4 BAD User is authenticated but not connected\.\r\n$/m);
      expect(await raw.until(/^\* BYE [^\r\n]*\r\n/m)).toContain("* BYE Connection closed. 14");
    } finally {
      raw.close();
    }
    // imapflow reports it as an authentication failure after NAMESPACE.
    const c = client(approvals, { accessToken: otherToken });
    await expect(c.connect()).rejects.toMatchObject({
      response: expect.stringContaining("User is authenticated but not connected"),
    });
  });

  it("IMAP disabled for the mailbox gives the same not-connected answer", async () => {
    await sb.control.setMailboxImap(approvals, false);
    const raw = await RawImap.open();
    try {
      expect(await raw.command("a1", `AUTHENTICATE XOAUTH2 ${xoauth2(approvals, await token(approvals))}`)).toMatch(
        /a1 OK/,
      );
      expect(await raw.command("a2", "EXAMINE INBOX")).toMatch(
        /^a2 BAD User is authenticated but not connected\.\r\n$/m,
      );
      expect(await raw.command("a3", "STATUS INBOX (MESSAGES)")).toMatch(
        /^a3 BAD User is authenticated but not connected\.\r\n$/m,
      );
    } finally {
      raw.close();
    }
  });

  it("shared mailbox: the delegate’s token with the shared address in user= opens it; without FullAccess it is not connected", async () => {
    await sb.control.deliver(SEED_SHARED_MAILBOX.email, "Subject: shared hello\r\n\r\nbody\r\n");
    const delegateToken = await token(SEED_USERS.delegate.email);
    const c = client(SEED_SHARED_MAILBOX.email, { accessToken: delegateToken });
    await c.connect();
    const mb = await c.mailboxOpen("INBOX", { readOnly: true });
    expect(mb.exists).toBe(1);
    await c.logout();
    await sb.control.setMailboxPermission(SEED_SHARED_MAILBOX.email, SEED_USERS.delegate.email, { fullAccess: false });
    const denied = client(SEED_SHARED_MAILBOX.email, { accessToken: delegateToken });
    await expect(denied.connect()).rejects.toMatchObject({
      response: expect.stringContaining("User is authenticated but not connected"),
    });
  });

  it("password mode: LOGIN (with literals) and AUTHENTICATE PLAIN only when the mailbox allows it", async () => {
    const pass = SEED_USERS.approvals.password;
    const raw = await RawImap.open();
    try {
      expect(await raw.command("a1", `LOGIN ${approvals} "${pass}"`)).toMatch(/^a1 NO LOGIN failed\.\r\n$/m);
      await sb.control.setMailboxPasswordAuth(approvals, true);
      // synchronizing literal: wait for the continuation
      raw.send(`a2 LOGIN {${approvals.length}}\r\n`);
      expect(await raw.until(/^\+ [^\r\n]*\r\n/m)).toMatch(/^\+ /);
      // non-synchronizing literal (LITERAL+) for the password
      raw.send(`${approvals} {${Buffer.byteLength(pass)}+}\r\n${pass}\r\n`);
      expect(await raw.until(/^a2 [^\r\n]*\r\n/m)).toMatch(/a2 OK LOGIN completed\.\r\n$/);
      expect(await raw.command("a3", 'SELECT "INBOX"')).toMatch(/a3 OK \[READ-WRITE\] SELECT completed\./);
    } finally {
      raw.close();
    }
    const c = client(approvals, { pass });
    await c.connect();
    expect((await c.mailboxOpen("INBOX")).path).toBe("INBOX");
    await c.logout();
  });

  it("answers FETCH with literals and quoting a strict reader accepts", async () => {
    await sb.control.deliver(
      approvals,
      'From: "Quote \\"Q\\" Person" <q@example.com>\r\nSubject: caf\u00e9 "quoted" \\ back\r\n\r\nline1\r\nline2\r\n',
    );
    const raw = await RawImap.open();
    try {
      await raw.command("a1", `AUTHENTICATE XOAUTH2 ${xoauth2(approvals, await token(approvals))}`);
      await raw.command("a2", "EXAMINE INBOX");
      const out = await raw.command(
        "a3",
        "UID FETCH 1:* (UID FLAGS RFC822.SIZE BODY.PEEK[HEADER.FIELDS (SUBJECT)] BODY.PEEK[TEXT]<0.5>)",
      );
      expect(out).toContain("* 1 FETCH (UID 1 FLAGS () RFC822.SIZE ");
      expect(out).toContain("BODY[HEADER.FIELDS (SUBJECT)] {");
      expect(out).toContain("BODY[TEXT]<0> {5}\r\nline1");
      expect(out).toMatch(/a3 OK FETCH completed\.\r\n$/);
      const env = await raw.command("a4", "FETCH 1 (ENVELOPE)");
      // non-ASCII subject goes as a literal, the quoted display name is escaped
      expect(env).toMatch(/ENVELOPE \(NIL \{\d+\}\r\ncafé "quoted" \\ back/);
      expect(env).toContain('(("Quote \\"Q\\" Person" NIL "q" "example.com"))');
    } finally {
      raw.close();
    }
  });

  it("adds latency to IMAP responses when asked", async () => {
    await sb.control.setLatency({ imap: 200 });
    const raw = await RawImap.open();
    try {
      const t0 = Date.now();
      await raw.command("a1", "NOOP");
      expect(Date.now() - t0).toBeGreaterThanOrEqual(190);
    } finally {
      raw.close();
    }
  });
});
