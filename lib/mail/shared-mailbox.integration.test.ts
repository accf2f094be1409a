import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_SHARED_MAILBOX, SEED_USERS, type RunningSandbox } from "@mail-connect/m365-sandbox";
import { ADMIN, authorizeAs, runChecks, startMailTestStack } from "../../test/support/mail-checks";
import { configure } from "../../test/support/sandbox-oauth";

/**
 * A shared mailbox through the whole chain (Email Settings → Authorize as the delegate → Test Email
 * Configuration and the admin notification), against the sandbox's Exchange rules: SMTP AUTH as the
 * delegate with the shared address in MAIL FROM and From:, IMAP with the shared address in user=.
 */
const shared = SEED_SHARED_MAILBOX.email;
const delegate = SEED_USERS.delegate.email;
let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startMailTestStack({
    smtpUser: shared,
    smtpSignInAs: delegate,
    imapUser: shared,
    imapSignInAs: delegate,
  });
  await authorizeAs(sandbox, "smtp", SEED_USERS.delegate);
});
afterAll(async () => {
  await sandbox?.stop();
});

describe("a shared mailbox with a delegate signing in", () => {
  it("Test Email is green for both protocols: SMTP as the delegate from the shared address, IMAP opens the shared mailbox", async () => {
    const run = await runChecks(sandbox);
    const smtp = run.card("smtp");
    expect(smtp.ok).toBe(true);
    expect(smtp.summary).toContain(
      `Sent a test message from ${shared} (authenticated as ${delegate}) to ${ADMIN.email}`,
    );
    expect(smtp.phases.find((p) => p.name === "authenticate")?.detail).toBe(`XOAUTH2 as ${delegate}`);
    expect(smtp.transcript?.join("\n")).toContain(`MAIL FROM:<${shared}>`);
    expect(run.card("imap").ok).toBe(true);
    const inbox = await sandbox.control.messages(ADMIN.email);
    expect(inbox.at(-1)).toMatchObject({ from: shared });
    const outboxOrSent = await sandbox.control.messages(shared, "Sent Items");
    expect(outboxOrSent.length).toBeGreaterThan(0);
  });

  it("Send As revoked: 550 5.7.60 at the end of DATA, explained with the Add-RecipientPermission command; IMAP unaffected", async () => {
    await sandbox.control.setMailboxPermission(shared, delegate, { sendAs: false });
    try {
      const run = await runChecks(sandbox);
      const smtp = run.card("smtp");
      expect(smtp.serverResponse).toMatch(
        /^550 5\.7\.60 SMTP; Client does not have permissions to send as this sender/,
      );
      expect(smtp.summary).toBe(`${delegate} may not send as ${shared} (550 5.7.60).`);
      expect(smtp.hint).toContain(`Mail Connect authenticates as ${delegate} and sends as ${shared}`);
      expect(smtp.hint).toContain(
        `Add-RecipientPermission -Identity ${shared} -Trustee ${delegate} -AccessRights SendAs`,
      );
      expect(smtp.hint).toContain("Full Access does not include Send As");
      expect(smtp.hint).not.toMatch(/must belong to the shared mailbox/);
      expect(smtp.phases.at(-1)).toMatchObject({ name: "send", ok: false });
      expect(run.card("imap").ok).toBe(true);
    } finally {
      await sandbox.control.setMailboxPermission(shared, delegate, { sendAs: true });
    }
  });

  it("Full Access revoked: IMAP is not connected, explained with the Add-MailboxPermission command; SMTP still sends", async () => {
    await sandbox.control.setMailboxPermission(shared, delegate, { fullAccess: false });
    try {
      const run = await runChecks(sandbox);
      const imap = run.card("imap");
      expect(imap.ok).toBe(false);
      expect(imap.serverResponse).toMatch(/User is authenticated but not connected/);
      expect(imap.hint).toContain(
        `Add-MailboxPermission -Identity ${shared} -User ${delegate} -AccessRights FullAccess -InheritanceType All`,
      );
      expect(run.card("smtp").ok).toBe(true); // Send As alone is enough to send
    } finally {
      await sandbox.control.setMailboxPermission(shared, delegate, { fullAccess: true });
    }
  });

  it("the admin notification authenticates as the delegate and sends from the shared address", async () => {
    const { emailAdmins } = await import("@/lib/mail/notify-admins");
    const { db } = await import("@/lib/db/client");
    await db.user.create({ data: { id: ADMIN.id, name: ADMIN.name, email: ADMIN.email, emailVerified: true } });
    const result = await emailAdmins("Mail Connect needs attention", "body", { tls: { ca: sandbox.caCert } });
    expect(result, JSON.stringify(result)).toMatchObject({ sent: true });
    const inbox = await sandbox.control.messages(ADMIN.email);
    expect(inbox.at(-1)).toMatchObject({ subject: "Mail Connect needs attention", from: shared });
  });
});

describe("a sign-in name (UPN) that differs from the mail address", () => {
  it("SMTP authenticates as the UPN and sends from the primary address; IMAP opens the primary address", async () => {
    const erin = SEED_USERS.upnUser;
    await configure(sandbox, {
      smtpUser: erin.mailboxAddress,
      smtpSignInAs: erin.email,
      imapUser: erin.mailboxAddress,
      imapSignInAs: erin.email,
    });
    await authorizeAs(sandbox, "smtp", erin);
    const run = await runChecks(sandbox);
    const smtp = run.card("smtp");
    expect(smtp.ok).toBe(true);
    expect(smtp.phases.find((p) => p.name === "authenticate")?.detail).toBe(`XOAUTH2 as ${erin.email}`);
    expect(smtp.summary).toContain(`from ${erin.mailboxAddress} (authenticated as ${erin.email})`);
    expect(run.card("imap").ok).toBe(true);
  });
});
