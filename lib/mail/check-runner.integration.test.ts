import { describe, expect, it } from "vitest";
import type { RunningSandbox } from "@mail-connect/m365-sandbox";
import { ADMIN, runChecks, useConnectedMailStack } from "../../test/support/mail-checks";

/** Test Email Configuration against the in-process sandbox with real nodemailer / imapflow / MSAL. */
let sandbox: RunningSandbox;
useConnectedMailStack((started) => {
  sandbox = started;
});

describe("runEmailChecks: all green", () => {
  it("sends a test message to the signed-in admin and opens the Approval Reply inbox", async () => {
    const run = await runChecks(sandbox);
    for (const c of run.cards)
      expect(c, `${c.id}: ${c.summary} ${c.serverResponse}`).toMatchObject({ ok: true, status: "ok" });
    expect(run.cards.map((c) => c.id)).toEqual(["smtp-token", "smtp", "imap-token", "imap"]);
    expect(run.ok).toBe(true);

    const smtp = run.card("smtp");
    // "token wait" shows when the connection was ready before the token (they are set up in parallel)
    expect(smtp.phases.map((p) => p.name).filter((n) => n !== "token wait")).toEqual([
      "DNS + connect",
      "greeting/EHLO",
      "TLS",
      "authenticate",
      "send",
    ]);
    expect(smtp.phases.every((p) => p.ok)).toBe(true);
    expect(smtp.serverResponse).toMatch(/^250 2\.0\.0 OK/);
    const imap = run.card("imap");
    expect(imap.phases.map((p) => p.name).filter((n) => n !== "token wait")).toEqual([
      "DNS + connect",
      "TLS",
      "authenticate",
      "SELECT INBOX",
    ]);
    expect(imap.summary).toMatch(/opened INBOX: \d+ messages?, \d+ unseen/);

    const inbox = await sandbox.control.messages(ADMIN.email);
    const mail = inbox.find((m) => m.subject?.includes(run.runId));
    expect(mail, "test message in the admin's sandbox mailbox").toBeDefined();
    expect(mail!.from).toContain("mailer@contoso.test");
    expect(mail!.raw).toContain(`Requested by: ${ADMIN.name} <${ADMIN.email}>`);
    expect(mail!.raw).toContain("https://localhost:3000");

    const tokens = run.cards.flatMap((c) => [c.serverResponse ?? "", ...(c.transcript ?? [])]).join("\n");
    expect(tokens).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./);
  });
});
