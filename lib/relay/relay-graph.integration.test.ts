import { afterAll, beforeAll, describe, expect, it } from "vitest";
import MailComposer from "nodemailer/lib/mail-composer";
import { SEED_SHARED_MAILBOX, SEED_USERS, type RunningSandbox } from "@mail-connect/m365-sandbox";
import { authorizeAs, startMailTestStack } from "../../test/support/mail-checks";
import { configure } from "../../test/support/sandbox-oauth";
import { grantGraphApplication, grantGraphDelegated } from "../../test/support/graph-grants";
import {
  createRelayCredential,
  refusal,
  relayClient,
  type RelayHandle,
  startRelay,
} from "../../test/support/relay-stack";

/**
 * The relay with the sending mailbox on Microsoft Graph: nodemailer → the relay → Graph `sendMail`
 * (raw MIME, base64) → the sandbox's mailboxes. Delegated, a shared From (Mail.Send.Shared), Bcc,
 * oversize, 403, 429, app-only.
 */
const mailer = SEED_USERS.mailer.email;
const approvals = SEED_USERS.approvals.email;
const other = SEED_USERS.other.email;
const shared = SEED_SHARED_MAILBOX.email;
let sandbox: RunningSandbox;
let relay: RelayHandle;
let secret: string;

beforeAll(async () => {
  sandbox = await startMailTestStack({ smtpTransport: "graph" });
  await grantGraphDelegated(sandbox);
  await authorizeAs(sandbox, "smtp", SEED_USERS.mailer);
  relay = await startRelay(sandbox);
  secret = (await createRelayCredential("graph", { allowedFrom: `${mailer}, ${shared}` })).secret;
});
afterAll(async () => {
  await relay?.runtime.stop();
  await sandbox?.stop();
});

const subjectOf = (tag: string) => `graph ${tag} ${Math.random().toString(16).slice(2, 8)}`;
const client = () => relayClient(relay, { user: "graph", pass: secret });

describe("the relay sends with Microsoft Graph when the sender's transport is Graph", () => {
  it("posts the MIME to sendMail and answers 250 'accepted by Microsoft' (Graph's 202), no SMTP session", async () => {
    await sandbox.control.clearGraphCalls();
    const before = (await sandbox.control.smtpSessions()).sessions;
    const subject = subjectOf("plain");
    const info = await client().sendMail({ from: mailer, to: approvals, subject, text: "Hello over Graph." });
    expect(info.response).toMatch(/^250 2\.0\.0 Accepted by Microsoft \(Graph 202 Accepted request-id [0-9a-f-]{36}\)/);
    const mail = (await sandbox.control.messages(approvals)).find((m) => m.subject === subject);
    expect(mail?.raw).toContain("Hello over Graph.");
    const [call] = await sandbox.control.graphCalls();
    expect(call).toMatchObject({
      path: `/v1.0/users/${encodeURIComponent(mailer)}/sendMail`,
      caller: "delegated",
      contentType: "text/plain",
      status: 202,
    });
    expect((await sandbox.control.smtpSessions()).sessions).toBe(before);
  });

  it("adds envelope-only recipients as Bcc: they receive it, the delivered copy has no Bcc header", async () => {
    const subject = subjectOf("bcc");
    const raw = await new MailComposer({ from: mailer, to: approvals, subject, text: "with a blind copy" })
      .compile()
      .build();
    await client().sendMail({ envelope: { from: mailer, to: [approvals, other] }, raw });
    const copy = (await sandbox.control.messages(other)).find((m) => m.subject === subject);
    expect(copy).toBeDefined();
    expect(copy!.raw).not.toMatch(/^bcc:/im);
    expect((await sandbox.control.messages(approvals)).some((m) => m.subject === subject)).toBe(true);
    const [call] = (await sandbox.control.graphCalls()).slice(-1);
    expect(call?.recipients.sort()).toEqual([approvals, other].sort());
  });

  it("refuses a message over Graph's 4 MB request (about 3 MB of MIME) with 552 before posting", async () => {
    await sandbox.control.clearGraphCalls();
    const answer = await refusal(
      client().sendMail({
        from: mailer,
        to: approvals,
        subject: subjectOf("big"),
        text: "too big for Graph",
        attachments: [{ filename: "big.bin", content: Buffer.alloc(3 * 1024 * 1024, 7) }],
      }),
    );
    expect(answer).toMatch(/^552 5\.3\.4 The message is \d+ bytes: Microsoft Graph accepts requests up to 4 MB/);
    expect(await sandbox.control.graphCalls()).toEqual([]);
  });

  it("Graph throttling (429 + Retry-After) is a temporary 451 naming Retry-After; the client may retry", async () => {
    await sandbox.control.setGraphFault("throttled", { count: 1, retryAfterSeconds: 9 });
    const answer = await refusal(
      client().sendMail({ from: mailer, to: approvals, subject: subjectOf("429"), text: "x" }),
    );
    expect(answer).toMatch(/^451 4\.7\.0 Microsoft Graph answered 429 ApplicationThrottled \(Retry-After: 9 s\)/);
    const subject = subjectOf("after429");
    await client().sendMail({ from: mailer, to: approvals, subject, text: "retried" });
    expect((await sandbox.control.messages(approvals)).some((m) => m.subject === subject)).toBe(true);
  });

  it("Graph's 5xx is temporary too (451)", async () => {
    await sandbox.control.setGraphFault("unavailable", { count: 1 });
    const answer = await refusal(
      client().sendMail({ from: mailer, to: approvals, subject: subjectOf("503"), text: "x" }),
    );
    expect(answer).toMatch(/^451 4\.7\.0 Microsoft Graph answered 503 ServiceUnavailable/);
  });

  it("a Graph host other than the one saved with the authorization gets no token: 454, re-authorize", async () => {
    await configure(sandbox, { smtpTransport: "graph", customGraphHost: "https://localhost:9" });
    await sandbox.control.clearGraphCalls();
    const answer = await refusal(
      client().sendMail({ from: mailer, to: approvals, subject: subjectOf("host"), text: "x" }),
    );
    expect(answer).toMatch(
      /^454 4\.7\.0 The Microsoft connection needs re-authorization: The Microsoft Graph host is now https:\/\/localhost:9, but this account was authorized for https:\/\/127\.0\.0\.1:\d+/,
    );
    expect(await sandbox.control.graphCalls()).toEqual([]);
    await configure(sandbox, { smtpTransport: "graph" });
    const info = await client().sendMail({ from: mailer, to: approvals, subject: subjectOf("host-back"), text: "x" });
    expect(info.response).toMatch(/^250 /);
  });

  it("a shared From: the delegate's Mail.Send.Shared posts to /users/{shared}/sendMail", async () => {
    await configure(sandbox, { smtpTransport: "graph", smtpUser: shared, smtpSignInAs: SEED_USERS.delegate.email });
    await authorizeAs(sandbox, "smtp", SEED_USERS.delegate);
    await sandbox.control.clearGraphCalls();
    const subject = subjectOf("shared");
    const info = await client().sendMail({ from: shared, to: approvals, subject, text: "from the shared mailbox" });
    expect(info.response).toMatch(/^250 2\.0\.0 Accepted by Microsoft/);
    const [call] = await sandbox.control.graphCalls();
    expect(call?.path).toBe(`/v1.0/users/${encodeURIComponent(shared)}/sendMail`);
    expect((await sandbox.control.messages(shared, "Sent Items")).some((m) => m.subject === subject)).toBe(true);
  });

  it("Graph's 403 ErrorAccessDenied (no Send As on the shared mailbox) is 550 5.7.1 with Graph's code", async () => {
    await configure(sandbox, { smtpTransport: "graph", smtpUser: shared, smtpSignInAs: mailer });
    await authorizeAs(sandbox, "smtp", SEED_USERS.mailer);
    const answer = await refusal(
      client().sendMail({ from: shared, to: approvals, subject: subjectOf("403"), text: "x" }),
    );
    expect(answer).toMatch(/^550 5\.7\.1 Microsoft Graph refused \(403 ErrorAccessDenied\): Access is denied/);
  });

  it("app-only: Graph's application Mail.Send with admin consent sends as the mailbox; without it 454", async () => {
    await configure(sandbox, { smtpTransport: "graph", smtpConnectionType: "application", smtpUser: mailer });
    const missing = await refusal(
      client().sendMail({ from: mailer, to: approvals, subject: subjectOf("noapp"), text: "x" }),
    );
    expect(missing).toMatch(
      /^454 4\.7\.0 Microsoft did not issue a Graph token: The app-only Microsoft Graph token has no Mail\.Send role/,
    );
    await grantGraphApplication(sandbox);
    await sandbox.control.clearGraphCalls();
    const subject = subjectOf("app");
    const info = await client().sendMail({ from: mailer, to: approvals, subject, text: "sent by the app" });
    expect(info.response).toMatch(/^250 2\.0\.0 Accepted by Microsoft/);
    const [call] = await sandbox.control.graphCalls();
    expect(call).toMatchObject({ caller: "app", status: 202 });
    expect((await sandbox.control.messages(approvals)).some((m) => m.subject === subject)).toBe(true);
  });

  it("a connection authorized before Graph was chosen lacks Mail.Send: 454 (re-authorize), never a 250", async () => {
    await configure(sandbox, { smtpTransport: "smtp", smtpConnectionType: "delegated", smtpUser: mailer });
    await authorizeAs(sandbox, "smtp", SEED_USERS.mailer); // SMTP.Send only
    await configure(sandbox, { smtpTransport: "graph", smtpUser: mailer });
    const answer = await refusal(
      client().sendMail({ from: mailer, to: approvals, subject: subjectOf("reauth"), text: "x" }),
    );
    expect(answer).toMatch(
      /^454 4\.7\.0 The Microsoft connection needs re-authorization: .*does not include https:\/\/graph\.microsoft\.com\/Mail\.Send/,
    );
  });
});
