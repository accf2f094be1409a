import { describe, expect, it } from "vitest";
import { SMTPServer } from "@mail-connect/m365-sandbox/testing";
import type { AddressInfo } from "node:net";
import { SEED_TENANT, SEED_USERS, type RunningSandbox } from "@mail-connect/m365-sandbox";
import { GRAPH_RESOURCE, SCOPE_IMAP, SCOPE_SMTP_SEND } from "@mail-connect/m365-sandbox/scopes";
import { ADMIN, blackHole, closedPort, runChecks, useConnectedMailStack } from "../../test/support/mail-checks";
import type { MailRole } from "@/lib/microsoft/client-safe/mail-roles";
import type { MailToken } from "@/lib/microsoft/mail-token";

/**
 * Every diagnosis of Test Email Configuration, reproduced through the sandbox's switches (or a
 * misbehaving server of our own), with the card text asserted.
 */
let sandbox: RunningSandbox;
useConnectedMailStack((started) => {
  sandbox = started;
});

/** Tokens as if the wrong account (or a wrong scope) had been authorized: minted by the sandbox's identity platform. */
function tokensOf(per: Partial<Record<MailRole, { user: string; scopes: string[] }>>) {
  return async (role: MailRole): Promise<MailToken> => {
    const want = per[role];
    if (!want) {
      const { acquireMailToken } = await import("@/lib/microsoft/mail-token");
      return acquireMailToken(role);
    }
    const { accessToken } = await sandbox.control.issueAccessToken({ user: want.user, scopes: want.scopes });
    return {
      accessToken,
      mailbox: role === "smtp" ? "mailer@contoso.test" : "approvals@contoso.test",
      signedInAs: want.user,
      expiresOn: null,
      fromCache: false,
    };
  };
}

describe("SMTP replies from Exchange Online", () => {
  it("535 5.7.139 for the tenant: SMTP AUTH disabled, how to enable Authenticated SMTP", async () => {
    await sandbox.control.setTenantSmtpAuth(SEED_TENANT.id, false);
    try {
      const smtp = (await runChecks(sandbox)).card("smtp");
      expect(smtp.ok).toBe(false);
      expect(smtp.serverResponse).toMatch(
        /^535 5\.7\.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant/,
      );
      expect(smtp.summary).toContain("SMTP AUTH is disabled for the tenant (535 5.7.139)");
      expect(smtp.hint).toContain("Enable Authenticated SMTP for mailer@contoso.test");
      expect(smtp.hint).toContain("choose Microsoft Graph as the sender's Transport");
      expect(smtp.hint).toContain(
        "Set-CASMailbox -Identity mailer@contoso.test -SmtpClientAuthenticationDisabled $false",
      );
      expect(smtp.hint).toContain("Or tenant-wide");
      expect(smtp.phases.at(-1)).toMatchObject({ name: "authenticate", ok: false });
    } finally {
      await sandbox.control.setTenantSmtpAuth(SEED_TENANT.id, true);
    }
  });

  it("535 5.7.139 for the mailbox", async () => {
    await sandbox.control.setMailboxSmtpAuth("mailer@contoso.test", false);
    try {
      const smtp = (await runChecks(sandbox)).card("smtp");
      expect(smtp.serverResponse).toMatch(/SmtpClientAuthentication is disabled for the Mailbox/);
      expect(smtp.summary).toContain("SMTP AUTH is disabled for this mailbox (535 5.7.139)");
    } finally {
      await sandbox.control.setMailboxSmtpAuth("mailer@contoso.test", null);
    }
  });

  it("535 5.7.3: the token is not valid for SMTP (no SMTP.Send): permission, consent, Re-Authorize", async () => {
    const run = await runChecks(sandbox, {
      acquireToken: tokensOf({ smtp: { user: "mailer@contoso.test", scopes: [SCOPE_IMAP] } }),
    });
    const smtp = run.card("smtp");
    expect(smtp.serverResponse).toMatch(/^535 5\.7\.3 Authentication unsuccessful/);
    expect(smtp.summary).toBe(
      "Microsoft refused the token of mailer@contoso.test for SMTP (535 5.7.3 Authentication unsuccessful).",
    );
    expect(smtp.hint).toContain("SMTP.Send");
    expect(smtp.hint).toContain("Re-Authorize as mailer@contoso.test");
    expect(smtp.hint).not.toMatch(/must belong to/);
    expect(smtp.reauthorize).toBe("smtp");
    expect(run.card("imap").ok).toBe(true); // the other check is unaffected
  });

  it("a token of another user: SMTP authenticates as that user, and Exchange refuses to send as the SMTP user (550 5.7.60)", async () => {
    const smtp = (
      await runChecks(sandbox, {
        acquireToken: tokensOf({ smtp: { user: "other@contoso.test", scopes: [SCOPE_SMTP_SEND] } }),
      })
    ).card("smtp");
    expect(smtp.serverResponse).toMatch(/^550 5\.7\.60 /);
    expect(smtp.summary).toBe("other@contoso.test may not send as mailer@contoso.test (550 5.7.60).");
    expect(smtp.hint).toContain("Mail Connect authenticates as other@contoso.test and sends as mailer@contoso.test");
    expect(smtp.hint).toContain(
      "Add-RecipientPermission -Identity mailer@contoso.test -Trustee other@contoso.test -AccessRights SendAs",
    );
    expect(smtp.hint).toContain('correct "Sign in as" and Re-Authorize');
  });

  it("550 5.7.60: the From address may not send as; use the SMTP user or grant Send As", async () => {
    const smtp = (await runChecks(sandbox, { change: { smtpFrom: "shared@contoso.test" } })).card("smtp");
    expect(smtp.serverResponse).toMatch(/^550 5\.7\.60 SMTP; Client does not have permissions to send as this sender/);
    expect(smtp.summary).toBe("mailer@contoso.test may not send as shared@contoso.test (550 5.7.60).");
    expect(smtp.hint).toContain("Use the SMTP user (mailer@contoso.test) as the From address");
    expect(smtp.hint).toContain(
      "Add-RecipientPermission -Identity shared@contoso.test -Trustee mailer@contoso.test -AccessRights SendAs",
    );
    expect(smtp.links).toContainEqual({ label: "From address", href: "/settings/email#smtpFrom" });
    expect(smtp.phases.at(-1)).toMatchObject({ name: "send", ok: false });
  });
  it("550 5.7.30: a password for SMTP on Exchange Online: basic auth retired, use Microsoft OAuth", async () => {
    const { encryptSecret } = await import("@/lib/crypto/secret-box");
    const smtp = (
      await runChecks(sandbox, {
        change: {
          smtpAuthType: "password",
          smtpPasswordEnc: encryptSecret(SEED_USERS.mailer.password, "EmailSettings.smtpPassword"),
        },
      })
    ).card("smtp");
    expect(smtp.serverResponse).toBe("550 5.7.30 Basic authentication is not supported for Client Submission.");
    expect(smtp.summary).toBe(
      "Exchange Online refuses the password for mailer@contoso.test: basic authentication is not supported for SMTP (550 5.7.30).",
    );
    expect(smtp.hint).toContain("Choose Microsoft OAuth as the SMTP auth type");
    expect(smtp.hint).toContain(
      "Microsoft turns Basic authentication for SMTP AUTH off by default for existing tenants at the end of December 2026",
    );
    expect(smtp.hint).toContain('Use "Switch to Microsoft OAuth" next to the SMTP auth type in Email Settings');
    expect(smtp.links).toContainEqual({ label: "SMTP auth type", href: "/settings/email#smtpAuthType" });
    expect(smtp.links).toContainEqual({ label: "Relay", href: "/settings/relay" });
  });
});

describe("IMAP replies from Exchange Online", () => {
  it("NO AUTHENTICATE failed. (a Graph token: IMAP permission missing)", async () => {
    const imap = (
      await runChecks(sandbox, {
        acquireToken: tokensOf({ imap: { user: "approvals@contoso.test", scopes: [`${GRAPH_RESOURCE}/User.Read`] } }),
      })
    ).card("imap");
    expect(imap.serverResponse).toMatch(/NO AUTHENTICATE failed\.$/);
    expect(imap.summary).toBe(
      "The IMAP server refused the token for approvals@contoso.test (NO AUTHENTICATE failed.).",
    );
    expect(imap.hint).toContain("IMAP permission or consent is missing, or IMAP is disabled for the mailbox");
    expect(imap.hint).toContain("IMAP.AccessAsUser.All");
    expect(imap.reauthorize).toBe("imap");
    expect(imap.phases.at(-1)).toMatchObject({ name: "authenticate", ok: false });
  });

  it("BAD User is authenticated but not connected. (token of X, mailbox Y): sign out of Microsoft and Re-Authorize as Y", async () => {
    const imap = (
      await runChecks(sandbox, {
        acquireToken: tokensOf({ imap: { user: "other@contoso.test", scopes: [SCOPE_IMAP] } }),
      })
    ).card("imap");
    expect(imap.serverResponse).toMatch(/BAD User is authenticated but not connected\.$/);
    expect(imap.summary).toContain("Bad User is Authenticated But Not Connected");
    expect(imap.hint).toContain("The token belongs to other@contoso.test, the mailbox is approvals@contoso.test.");
    expect(imap.hint).toContain(
      "sign out of Microsoft or use a private window, then Re-Authorize as approvals@contoso.test",
    );
    expect(imap.hint).toContain("grant other@contoso.test Full Access");
    expect(imap.reauthorize).toBe("imap");
    // AUTHENTICATE itself was accepted; the failure shows at the next step
    expect(imap.phases.find((p) => p.name === "authenticate")).toMatchObject({ ok: true });
    expect(imap.phases.at(-1)).toMatchObject({ name: "SELECT INBOX", ok: false });
  });

  it("BAD User is authenticated but not connected. when IMAP is disabled for the mailbox", async () => {
    await sandbox.control.setMailboxImap("approvals@contoso.test", false);
    try {
      const imap = (await runChecks(sandbox)).card("imap");
      expect(imap.summary).toContain("Bad User is Authenticated But Not Connected");
      expect(imap.hint).toContain("IMAP is disabled for approvals@contoso.test");
    } finally {
      await sandbox.control.setMailboxImap("approvals@contoso.test", true);
    }
  });
});

describe("network and TLS", () => {
  it("DNS failure names the host", async () => {
    const smtp = (await runChecks(sandbox, { change: { smtpHost: "no-such-host.invalid" } })).card("smtp");
    expect(smtp.summary).toBe("DNS failure: the host name no-such-host.invalid cannot be resolved.");
    expect(smtp.hint).toContain("smtp.office365.com port 587 with STARTTLS");
    expect(smtp.links).toContainEqual({ label: "SMTP host", href: "/settings/email#smtpHost" });
    expect(smtp.phases).toEqual([expect.objectContaining({ name: "DNS + connect", ok: false })]);
  });

  it("connection refused names host and port", async () => {
    const port = await closedPort();
    const imap = (await runChecks(sandbox, { change: { imapPort: port } })).card("imap");
    expect(imap.summary).toBe(`Connection refused by 127.0.0.1:${port}.`);
    expect(imap.hint).toContain("IMAP is 993 with TLS");
    expect(imap.links).toContainEqual({ label: "IMAP port", href: "/settings/email#imapPort" });
  });

  it("a black-hole server (accepts TCP, never speaks) ends within the connect timeout, SMTP and IMAP", async () => {
    const hole = await blackHole();
    try {
      const started = Date.now();
      const run = await runChecks(sandbox, {
        change: { smtpPort: hole.port, imapPort: hole.port, connectTimeoutMs: 1000, overallTimeoutMs: 5000 },
      });
      const elapsed = Date.now() - started;
      expect(elapsed).toBeLessThan(2500);
      const smtp = run.card("smtp");
      expect(smtp.summary).toBe(
        `Timeout: 127.0.0.1:${hole.port} accepted the connection but never answered (no greeting within 1 s).`,
      );
      expect(smtp.hint).toContain("the security setting probably does not match the port");
      expect(smtp.ms).toBeLessThan(1600);
      const imap = run.card("imap"); // implicit TLS: the handshake is never answered
      expect(imap.summary).toBe(
        `Timeout: 127.0.0.1:${hole.port} accepted the connection but never answered (no greeting within 1 s).`,
      );
      expect(imap.phases.at(-1)).toMatchObject({ name: "TLS", ok: false });
    } finally {
      await hole.close();
    }
  });

  it("a slow server ends at the overall timeout, saying where it stopped", async () => {
    // the sandbox delays the greeting and the replies to AUTH, MAIL, RCPT and the end of DATA
    await sandbox.control.setLatency({ smtp: 1000 });
    try {
      const started = Date.now();
      const smtp = (await runChecks(sandbox, { change: { connectTimeoutMs: 3000, overallTimeoutMs: 3000 } })).card(
        "smtp",
      );
      expect(Date.now() - started).toBeLessThan(4500);
      expect(smtp.summary).toMatch(
        /^Timeout: the SMTP check did not finish within 3 s \(stopped during (authenticate|send)\)\.$/,
      );
    } finally {
      await sandbox.control.setLatency({ smtp: 0 });
    }
  });

  it("TLS certificate errors (a CA this server does not trust), STARTTLS and implicit TLS", async () => {
    const run = await runChecks(sandbox, { trustSandbox: false });
    const smtp = run.card("smtp");
    expect(smtp.summary).toMatch(
      /^TLS certificate error: the certificate of 127\.0\.0\.1:\d+ is not trusted \((SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\)\.$/,
    );
    expect(smtp.hint).toContain("NODE_EXTRA_CA_CERTS");
    expect(smtp.phases.at(-1)).toMatchObject({ name: "TLS", ok: false });
    const imap = run.card("imap");
    expect(imap.summary).toMatch(/^TLS certificate error: the certificate of 127\.0\.0\.1:\d+ is not trusted/);
    expect(imap.phases.at(-1)).toMatchObject({ name: "TLS", ok: false });
  });

  it("STARTTLS unavailable: nothing is sent over plain text", async () => {
    const plain = new SMTPServer({
      hideSTARTTLS: true,
      authOptional: true,
      logger: false,
      disabledCommands: ["STARTTLS"],
    });
    await new Promise<void>((r) => plain.listen(0, "127.0.0.1", r));
    const port = (plain.server.address() as AddressInfo).port;
    try {
      const smtp = (await runChecks(sandbox, { change: { smtpPort: port } })).card("smtp");
      expect(smtp.summary).toBe(
        `STARTTLS unavailable: 127.0.0.1:${port} does not offer STARTTLS, so nothing was sent.`,
      );
      expect(smtp.hint).toContain("Credentials are never sent over an unencrypted connection");
      expect(smtp.transcript?.some((l) => /AUTH/.test(l) && l.startsWith("C:"))).toBe(false);
    } finally {
      await new Promise<void>((r) => plain.close(() => r()));
    }
  });
});

describe("settings and concurrency", () => {
  it("incomplete settings: the card says exactly what is missing, with links to the fields", async () => {
    const run = await runChecks(sandbox, { change: { smtpHost: null, imapUser: null } });
    const smtp = run.card("smtp");
    expect(smtp).toMatchObject({ ok: false, status: "skipped", summary: "Incomplete settings: SMTP host is missing." });
    expect(smtp.links).toEqual([{ label: "SMTP host", href: "/settings/email#smtpHost" }]);
    const imap = run.card("imap");
    expect(imap.summary).toBe("Incomplete settings: Approval Reply Address is missing.");
    expect(imap.links).toEqual([{ label: "Approval Reply Address", href: "/settings/email#imapUser" }]);
    expect(run.ok).toBe(false);
  });

  it("password auth (non-Microsoft servers) runs the same checks with the stored password", async () => {
    const { encryptSecret } = await import("@/lib/crypto/secret-box");
    await sandbox.control.setMailboxPasswordAuth("mailer@contoso.test", true);
    await sandbox.control.setMailboxPasswordAuth("approvals@contoso.test", true);
    try {
      const run = await runChecks(sandbox, {
        change: {
          smtpAuthType: "password",
          smtpPasswordEnc: encryptSecret(SEED_USERS.mailer.password, "EmailSettings.smtpPassword"),
          imapAuthType: "password",
          imapPasswordEnc: encryptSecret(SEED_USERS.approvals.password, "EmailSettings.imapPassword"),
        },
      });
      expect(run.cards.map((c) => [c.id, c.ok])).toEqual([
        ["smtp", true],
        ["imap", true],
      ]);
      expect(run.card("smtp").phases.find((p) => p.name === "authenticate")?.detail).toBe(
        "password as mailer@contoso.test",
      );
      const text = run.cards.flatMap((c) => [c.serverResponse ?? "", ...(c.transcript ?? [])]).join("\n");
      expect(text).not.toContain(SEED_USERS.mailer.password);
      expect(text).not.toContain(SEED_USERS.approvals.password);
    } finally {
      await sandbox.control.setMailboxPasswordAuth("mailer@contoso.test", false);
      await sandbox.control.setMailboxPasswordAuth("approvals@contoso.test", false);
    }
  });

  it("two admins testing at the same time both complete, each gets the message", async () => {
    const second = { email: "other@contoso.test", name: "Otto Admin" };
    const [a, b] = await Promise.all([runChecks(sandbox), runChecks(sandbox, { admin: second })]);
    expect(a.cards.every((c) => c.ok)).toBe(true);
    expect(b.cards.every((c) => c.ok)).toBe(true);
    expect((await sandbox.control.messages(ADMIN.email)).some((m) => m.subject?.includes(a.runId))).toBe(true);
    expect((await sandbox.control.messages(second.email)).some((m) => m.subject?.includes(b.runId))).toBe(true);
  });
});
