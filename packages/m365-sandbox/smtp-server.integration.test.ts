import nodemailer from "nodemailer";
import { describe, expect, it } from "vitest";
import { msalFor, signInWithMsal, type TestSandbox, useTestSandbox } from "./fixture";
import { SEED_USERS } from "./seed";

let sb: TestSandbox;
useTestSandbox((started) => {
  sb = started;
});

const SMTP_SEND = "https://outlook.office.com/SMTP.Send";
const mailer = SEED_USERS.mailer.email;

function transport(
  auth: { user: string; accessToken: string } | { user: string; pass: string },
  extra: { ignoreTLS?: boolean } = {},
) {
  return nodemailer.createTransport({
    host: sb.smtp.host,
    port: sb.smtp.port,
    secure: false,
    requireTLS: !extra.ignoreTLS,
    ignoreTLS: extra.ignoreTLS ?? false,
    tls: { ca: sb.caCert },
    auth: "accessToken" in auth ? { type: "OAuth2", user: auth.user, accessToken: auth.accessToken } : auth,
    connectionTimeout: 5000,
  });
}

async function token(user: string, scopes: string[] = [SMTP_SEND], expiresInSeconds?: number): Promise<string> {
  return (await sb.control.issueAccessToken({ user, scopes, expiresInSeconds })).accessToken;
}

async function sendError(promise: Promise<unknown>): Promise<{ response: string; responseCode: number }> {
  try {
    await promise;
  } catch (err) {
    const e = err as { response?: string; responseCode?: number };
    return { response: e.response ?? String(err), responseCode: e.responseCode ?? 0 };
  }
  throw new Error("expected the SMTP server to refuse");
}

describe("SMTP submission with XOAUTH2", () => {
  it("sends with an MSAL token: internal recipients get it in their inbox, external ones land in the outbox", async () => {
    const { result } = await signInWithMsal(
      sb,
      msalFor(sb),
      { email: mailer, password: SEED_USERS.mailer.password },
      { scopes: [SMTP_SEND] },
    );
    const info = await transport({ user: mailer, accessToken: result.accessToken }).sendMail({
      from: mailer,
      to: [SEED_USERS.approvals.email, "partner@example.com"],
      subject: "Test Email Configuration",
      text: "It works.",
    });
    expect(info.response).toMatch(/^250 2\.0\.0 OK /);
    const inbox = await sb.control.messages(SEED_USERS.approvals.email);
    expect(inbox).toHaveLength(1);
    expect(inbox[0]).toMatchObject({ subject: "Test Email Configuration", from: mailer });
    const outbox = await sb.control.outbox();
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ mailFrom: mailer, rcptTo: ["partner@example.com"], authenticatedAs: mailer });
    expect(outbox[0]?.raw).toContain("It works.");
    const sent = await sb.control.messages(mailer, "Sent Items");
    expect(sent).toHaveLength(1);
  });

  it("535 5.7.3 for a bad or expired token, a Graph token, a token without SMTP.Send, and another user’s mailbox", async () => {
    const cases: Array<[string, string]> = [
      ["not-a-jwt", mailer],
      [await token(mailer, [SMTP_SEND], -60), mailer],
      [await token(mailer, ["https://graph.microsoft.com/SMTP.Send"]), mailer],
      [await token(mailer, ["SMTP.Send"]), mailer],
      [await token(mailer, ["https://outlook.office.com/IMAP.AccessAsUser.All"]), mailer],
      [await token(SEED_USERS.other.email), mailer],
    ];
    for (const [accessToken, user] of cases) {
      const err = await sendError(transport({ user, accessToken }).verify());
      expect(err.responseCode).toBe(535);
      expect(err.response).toMatch(/^535 5\.7\.3 Authentication unsuccessful \[/);
    }
  });

  it("535 5.7.139 when SMTP AUTH is disabled for the tenant, unless the mailbox enables it; and per mailbox", async () => {
    const accessToken = await token(mailer);
    await sb.control.setTenantSmtpAuth(SEED_USERS.mailer.email.split("@")[1] ?? "", false);
    const tenantOff = await sendError(transport({ user: mailer, accessToken }).verify());
    expect(tenantOff.response).toMatch(
      /^535 5\.7\.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant\. Visit https:\/\/aka\.ms\/smtp_auth_disabled for more information\./,
    );
    await sb.control.setMailboxSmtpAuth(mailer, true);
    await expect(transport({ user: mailer, accessToken }).verify()).resolves.toBe(true);

    await sb.control.setTenantSmtpAuth(SEED_USERS.mailer.email.split("@")[1] ?? "", true);
    await sb.control.setMailboxSmtpAuth(mailer, false);
    const mailboxOff = await sendError(transport({ user: mailer, accessToken }).verify());
    expect(mailboxOff.response).toMatch(
      /^535 5\.7\.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox\./,
    );
  });

  it("550 5.7.60 at the end of DATA when MAIL FROM is a mailbox the user may not send as; nothing is delivered", async () => {
    const err = await sendError(
      transport({ user: mailer, accessToken: await token(mailer) }).sendMail({
        from: SEED_USERS.approvals.email,
        to: SEED_USERS.other.email,
        subject: "x",
        text: "x",
      }),
    );
    expect(err.responseCode).toBe(550);
    expect(err.response).toMatch(/^550 5\.7\.60 SMTP; Client does not have permissions to send as this sender/);
    expect(await sb.control.messages(SEED_USERS.other.email)).toEqual([]);
  });

  it("offers AUTH only after STARTTLS: a client that skips STARTTLS stays anonymous and gets 530 5.7.57", async () => {
    const err = await sendError(
      transport({ user: mailer, accessToken: await token(mailer) }, { ignoreTLS: true }).sendMail({
        from: mailer,
        to: SEED_USERS.approvals.email,
        subject: "x",
        text: "x",
      }),
    );
    expect(err.responseCode).toBe(530);
    expect(err.response).toMatch(/^530 5\.7\.57 Client not authenticated to send mail\./);
    expect(await sb.control.messages(SEED_USERS.approvals.email)).toEqual([]);
  });

  it("password mode: AUTH LOGIN only for mailboxes switched to it (Exchange Online answers 550 5.7.30)", async () => {
    const creds = { user: mailer, pass: SEED_USERS.mailer.password };
    const before = await sendError(transport(creds).verify());
    expect(before.response).toBe("550 5.7.30 Basic authentication is not supported for Client Submission.");
    await sb.control.setMailboxPasswordAuth(mailer, true);
    await expect(transport(creds).verify()).resolves.toBe(true);
    const wrong = await sendError(transport({ user: mailer, pass: "nope" }).verify());
    expect(wrong.responseCode).toBe(535);
  });

  it("adds latency to SMTP replies when asked", async () => {
    const accessToken = await token(mailer);
    await sb.control.setLatency({ smtp: 250 });
    const t1 = Date.now();
    await transport({ user: mailer, accessToken }).verify();
    // the greeting and the AUTH reply are each delayed by 250 ms
    expect(Date.now() - t1).toBeGreaterThanOrEqual(490);
  });
});
