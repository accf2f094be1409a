import { format } from "node:util";
import { ImapFlow } from "imapflow";
import nodemailer from "nodemailer";
import { describe, expect, it } from "vitest";
import { type TestSandbox, useTestSandbox } from "./fixture";
import { SEED_SHARED_MAILBOX, SEED_USERS } from "./seed";

/**
 * Shared mailboxes and sign-in names the way Exchange Online checks them, with the real clients:
 * SMTP AUTH only as the token's own user (its UPN), Send As at the end of DATA for MAIL FROM and
 * From:, IMAP with the shared (or own primary) address in user=.
 */

let sb: TestSandbox;
useTestSandbox((started) => {
  sb = started;
});

const SMTP_SEND = "https://outlook.office.com/SMTP.Send";
const IMAP_SCOPE = "https://outlook.office.com/IMAP.AccessAsUser.All";
const shared = SEED_SHARED_MAILBOX.email;
const delegate = SEED_USERS.delegate.email;
const upnUser = SEED_USERS.upnUser;

async function token(user: string, scope: string): Promise<string> {
  return (await sb.control.issueAccessToken({ user, scopes: [scope] })).accessToken;
}

/** A nodemailer transport whose protocol lines are kept, to see which command got which reply. */
function transport(user: string, accessToken: string) {
  const lines: string[] = [];
  const log = (data: { tnx?: string } | undefined, message: string, ...args: unknown[]) => {
    const who = data?.tnx === "server" ? "S: " : data?.tnx === "client" ? "C: " : "* ";
    lines.push(who + format(message, ...args));
  };
  const t = nodemailer.createTransport({
    host: sb.smtp.host,
    port: sb.smtp.port,
    secure: false,
    requireTLS: true,
    tls: { ca: sb.caCert },
    auth: { type: "OAuth2", user, accessToken },
    connectionTimeout: 5000,
    debug: true,
    logger: { trace: log, debug: log, info: log, warn: log, error: log, fatal: log, level: () => undefined },
  });
  return { t, lines };
}

async function refusal(promise: Promise<unknown>): Promise<{ response: string; command: string }> {
  try {
    await promise;
  } catch (err) {
    const e = err as { response?: string; command?: string };
    return { response: e.response ?? String(err), command: e.command ?? "" };
  }
  throw new Error("expected the SMTP server to refuse");
}

function imap(user: string, accessToken: string): ImapFlow {
  return new ImapFlow({
    host: sb.imap.host,
    port: sb.imap.port,
    secure: true,
    tls: { ca: sb.caCert },
    auth: { user, accessToken },
    logger: false,
    disableAutoIdle: true,
  });
}

describe("shared mailbox over SMTP", () => {
  it("refuses the shared mailbox as the XOAUTH2 identity with 535 5.7.3, even with Full Access, Send As and SMTP AUTH on", async () => {
    await sb.control.setMailboxSmtpAuth(shared, true);
    const info = await sb.control.mailbox(shared);
    expect(info).toMatchObject({ fullAccess: [delegate], sendAs: [delegate], smtpAuthEnabled: true });
    const err = await refusal(transport(shared, await token(delegate, SMTP_SEND)).t.verify());
    expect(err.response).toMatch(/^535 5\.7\.3 Authentication unsuccessful \[/);
  });

  it("AUTH as the delegate, then MAIL FROM and From: the shared address: sent (Send As), delivered, in the shared Sent Items", async () => {
    const { t, lines } = transport(delegate, await token(delegate, SMTP_SEND));
    const info = await t.sendMail({ from: shared, to: SEED_USERS.approvals.email, subject: "From shared", text: "x" });
    expect(info.response).toMatch(/^250 2\.0\.0 OK /);
    expect(info.envelope.from).toBe(shared);
    expect(lines.some((l) => /^S: 235 /.test(l))).toBe(true);
    const inbox = await sb.control.messages(SEED_USERS.approvals.email);
    expect(inbox[0]).toMatchObject({ subject: "From shared", from: shared });
    expect(await sb.control.messages(shared, "Sent Items")).toHaveLength(1);
  });

  it("without Send As: AUTH and MAIL FROM are accepted, the end of DATA answers 550 5.7.60; nothing is delivered", async () => {
    await sb.control.setMailboxPermission(shared, delegate, { sendAs: false });
    const { t, lines } = transport(delegate, await token(delegate, SMTP_SEND));
    const err = await refusal(t.sendMail({ from: shared, to: SEED_USERS.approvals.email, subject: "x", text: "x" }));
    expect(err.response).toMatch(/^550 5\.7\.60 SMTP; Client does not have permissions to send as this sender \[/);
    // AUTH and MAIL FROM succeeded, DATA was started: the refusal came after the message
    const repliesAfter = (command: RegExp) =>
      lines.slice(lines.findIndex((l) => command.test(l))).filter((l) => l.startsWith("S: "));
    expect(repliesAfter(/^C: AUTH XOAUTH2/)[0]).toMatch(/^S: 235 /);
    // MAIL FROM:<shared> and RCPT TO (pipelined) get 250, DATA gets 354, the end of DATA the 550
    expect(repliesAfter(/^C: MAIL FROM:<shared@contoso\.test>/).map((l) => l.slice(3, 6))).toEqual([
      "250",
      "250",
      "354",
      "550",
    ]);
    expect(await sb.control.messages(SEED_USERS.approvals.email)).toEqual([]);
    // Granting Send As again (control API) makes the same submission pass.
    await sb.control.setMailboxPermission(shared, delegate, { sendAs: true });
    const again = await transport(delegate, await token(delegate, SMTP_SEND)).t.sendMail({
      from: shared,
      to: SEED_USERS.approvals.email,
      subject: "x",
      text: "x",
    });
    expect(again.response).toMatch(/^250 /);
  });

  it("checks the From: header too: the shared address needs Send As even when MAIL FROM is the delegate's own", async () => {
    await sb.control.setMailboxPermission(shared, delegate, { sendAs: false });
    const accessToken = await token(delegate, SMTP_SEND);
    const err = await refusal(
      transport(delegate, accessToken).t.sendMail({
        from: shared,
        envelope: { from: delegate, to: [SEED_USERS.approvals.email] },
        subject: "x",
        text: "x",
      }),
    );
    expect(err.response).toMatch(/^550 5\.7\.60 /);
    // The delegate's own address in both is fine.
    const own = await transport(delegate, accessToken).t.sendMail({
      from: delegate,
      to: SEED_USERS.approvals.email,
      subject: "own",
      text: "x",
    });
    expect(own.response).toMatch(/^250 /);
  });
});

describe("shared mailbox over IMAP", () => {
  it("user= the shared mailbox with the delegate's token (Full Access) opens it; revoking Full Access leaves it not connected", async () => {
    await sb.control.deliver(shared, "Subject: shared hello\r\n\r\nbody\r\n");
    const accessToken = await token(delegate, IMAP_SCOPE);
    const c = imap(shared, accessToken);
    await c.connect();
    expect((await c.mailboxOpen("INBOX", { readOnly: true })).exists).toBe(1);
    await c.logout();
    await sb.control.setMailboxPermission(shared, delegate, { fullAccess: false });
    await expect(imap(shared, accessToken).connect()).rejects.toMatchObject({
      response: expect.stringContaining("User is authenticated but not connected"),
    });
  });
});

describe("a sign-in name (UPN) that differs from the primary SMTP address", () => {
  it("SMTP: user= the UPN authenticates and sends from the primary address; user= the primary address gets 535 5.7.3", async () => {
    const accessToken = await token(upnUser.email, SMTP_SEND);
    const info = await transport(upnUser.email, accessToken).t.sendMail({
      from: upnUser.mailboxAddress,
      to: SEED_USERS.approvals.email,
      subject: "from erin",
      text: "x",
    });
    expect(info.response).toMatch(/^250 /);
    const err = await refusal(transport(upnUser.mailboxAddress, accessToken).t.verify());
    expect(err.response).toMatch(/^535 5\.7\.3 /);
  });

  it("IMAP: user= the primary address or the UPN opens the user's own mailbox", async () => {
    await sb.control.deliver(upnUser.mailboxAddress, "Subject: for erin\r\n\r\nbody\r\n");
    const accessToken = await token(upnUser.email, IMAP_SCOPE);
    for (const user of [upnUser.mailboxAddress, upnUser.email]) {
      const c = imap(user, accessToken);
      await c.connect();
      expect((await c.mailboxOpen("INBOX", { readOnly: true })).exists).toBe(1);
      await c.logout();
    }
  });
});
