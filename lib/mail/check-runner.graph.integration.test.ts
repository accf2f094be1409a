import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_SHARED_MAILBOX, SEED_USERS, type RunningSandbox } from "@mail-connect/m365-sandbox";
import { ADMIN, authorizeAs, runChecks, startMailTestStack } from "../../test/support/mail-checks";
import { configure } from "../../test/support/sandbox-oauth";
import { grantGraphDelegated } from "../../test/support/graph-grants";

/**
 * Test Email Configuration when the sending mailbox uses Microsoft Graph: the SMTP token card asks for
 * the Graph token and the SMTP card posts the test message to Graph's sendMail (no SMTP connection),
 * against the in-process sandbox; Graph's refusals get their diagnosis.
 */
let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startMailTestStack({ smtpTransport: "graph" });
  await grantGraphDelegated(sandbox);
  await authorizeAs(sandbox, "smtp", SEED_USERS.mailer);
  await authorizeAs(sandbox, "imap", SEED_USERS.approvals);
});
afterAll(async () => {
  await sandbox?.stop();
});

describe("Test Email Configuration with the Graph transport", () => {
  it("sends the test message with Graph: 'accepted by Microsoft' (202), delivered to the admin, no SMTP session", async () => {
    const before = (await sandbox.control.smtpSessions()).sessions;
    const run = await runChecks(sandbox);
    for (const c of run.cards) expect(c, `${c.id}: ${c.summary} ${c.serverResponse}`).toMatchObject({ ok: true });
    const smtp = run.card("smtp");
    expect(smtp.summary).toMatch(/^Accepted by Microsoft: Graph answered 202 Accepted .*not yet delivered/);
    expect(smtp.serverResponse).toMatch(/^HTTP 202 Accepted \(request-id [0-9a-f-]{36}\)$/);
    expect(smtp.phases.map((p) => p.name)).toEqual(["token wait", "send"]);
    expect(smtp.phases[1]?.detail).toBe(
      `POST ${sandbox.authorityOrigin}/v1.0/users/${encodeURIComponent(SEED_USERS.mailer.email)}/sendMail`,
    );
    expect(smtp.facts).toMatchObject({ transport: "Microsoft Graph sendMail" });
    const mail = (await sandbox.control.messages(ADMIN.email)).find((m) => m.subject?.includes(run.runId));
    expect(mail?.raw).toContain("Through: Microsoft Graph"); // (quoted-printable: the line goes on folded)
    expect((await sandbox.control.smtpSessions()).sessions).toBe(before);
    const calls = await sandbox.control.graphCalls();
    expect(calls.at(-1)).toMatchObject({ caller: "delegated", status: 202 });
  });

  it("the health monitor's probe (mode probe): the Graph token and its Mail.Send permission, nothing posted", async () => {
    const calls = (await sandbox.control.graphCalls()).length;
    const messages = (await sandbox.control.messages(ADMIN.email)).length;
    const run = await runChecks(sandbox, { mode: "probe" });
    const smtp = run.card("smtp");
    expect(smtp, `${smtp.summary}`).toMatchObject({ ok: true, status: "ok" });
    expect(smtp.summary).toMatch(/holds the delegated permission Mail\.Send: sending is allowed \(nothing was sent\)/);
    expect((await sandbox.control.graphCalls()).length).toBe(calls);
    expect((await sandbox.control.messages(ADMIN.email)).length).toBe(messages);
  });

  it("ErrorAccessDenied for a shared From without Send As: the diagnosis names Mail.Send.Shared and Send As", async () => {
    await configure(sandbox, {
      smtpTransport: "graph",
      smtpUser: SEED_SHARED_MAILBOX.email,
      smtpSignInAs: SEED_USERS.mailer.email,
    });
    await authorizeAs(sandbox, "smtp", SEED_USERS.mailer);
    const smtp = (await runChecks(sandbox)).card("smtp");
    expect(smtp).toMatchObject({ ok: false, status: "failed" });
    expect(smtp.summary).toMatch(
      /Microsoft Graph answered 403 ErrorAccessDenied: mailer@contoso\.test may not send as/,
    );
    expect(smtp.hint).toMatch(/Mail\.Send\.Shared .*Send As/);
    expect(smtp.serverResponse).toMatch(/^HTTP 403 ErrorAccessDenied: Access is denied/);
  });

  it("MailboxNotEnabledForRESTAPI for a user without an Exchange Online mailbox", async () => {
    const user = { email: "nomailbox@contoso.test", password: "NoMailbox-Pass-1" };
    await sandbox.control.addUser({ ...user, mailbox: false });
    await configure(sandbox, { smtpTransport: "graph", smtpUser: user.email, smtpSignInAs: "" });
    await authorizeAs(sandbox, "smtp", user);
    const smtp = (await runChecks(sandbox)).card("smtp");
    expect(smtp.summary).toMatch(
      /404 MailboxNotEnabledForRESTAPI: nomailbox@contoso\.test has no Exchange Online mailbox/,
    );
    expect(smtp.hint).toMatch(/send with SMTP instead/);
  });

  it("a connection without the Graph scope: the token card asks to Re-Authorize and the send step does not run", async () => {
    await configure(sandbox, { smtpTransport: "smtp", smtpUser: SEED_USERS.mailer.email, smtpSignInAs: "" });
    await authorizeAs(sandbox, "smtp", SEED_USERS.mailer); // SMTP.Send only
    await configure(sandbox, { smtpTransport: "graph", smtpUser: SEED_USERS.mailer.email, smtpSignInAs: "" });
    const run = await runChecks(sandbox);
    const token = run.card("smtp-token");
    expect(token.ok).toBe(false);
    expect(token.reauthorize).toBe("smtp");
    expect(`${token.summary} ${token.hint}`).toMatch(/Mail\.Send/);
    expect(run.card("smtp").status).toBe("skipped");
  });
});
