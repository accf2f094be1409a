import { afterAll, afterEach, describe, expect, it } from "vitest";
import { SEED_SHARED_MAILBOX, SEED_USERS, type RunningSandbox } from "@mail-connect/m365-sandbox";
import { authorizeAs, startMailTestStack } from "../../../test/support/mail-checks";
import { grantAppOnlyAccess } from "../../../test/support/app-only-grants";
import { configure } from "../../../test/support/sandbox-oauth";
import {
  type GatewayHandle,
  gatewayClient,
  imapCredential,
  startImapGatewayRuntime,
} from "../../../test/support/imap-gateway-stack";

/**
 * The gateway signs in upstream as the IMAP check does (lib/mail/imap-identity.ts): a shared mailbox
 * opened with its delegate's token, and an Application (app-only) connection with the app's token.
 */
const shared = SEED_SHARED_MAILBOX.email;
const approvals = SEED_USERS.approvals.email;
let sandbox: RunningSandbox | undefined;
let gateway: GatewayHandle | undefined;

afterEach(async () => {
  await gateway?.runtime.stop();
  gateway = undefined;
});
afterAll(async () => {
  await sandbox?.stop();
});

async function opens(mailbox: string, credentialName: string): Promise<number> {
  const { secret } = await imapCredential(credentialName, [mailbox]);
  const c = gatewayClient(gateway!, { user: mailbox, pass: secret });
  await c.connect();
  try {
    return (await c.mailboxOpen("INBOX")).exists;
  } finally {
    await c.logout();
  }
}

describe("the IMAP gateway's upstream identities", () => {
  it("a shared mailbox: the delegate's token with the shared address in user= opens it", async () => {
    sandbox = await startMailTestStack({ imapUser: shared, imapSignInAs: SEED_USERS.delegate.email });
    await authorizeAs(sandbox, "imap", SEED_USERS.delegate);
    await sandbox.control.deliver(shared, `From: a@example.com\r\nTo: ${shared}\r\nSubject: shared\r\n\r\nhi\r\n`);
    gateway = await startImapGatewayRuntime(sandbox);
    expect(await opens(shared, "shared-reader")).toBeGreaterThanOrEqual(1);
  });

  it("app-only: the app's client-credentials token, user= the mailbox", async () => {
    await configure(sandbox!, { imapUser: approvals, imapSignInAs: "", imapConnectionType: "application" });
    await grantAppOnlyAccess(sandbox!, [approvals]);
    await sandbox!.control.deliver(approvals, `From: a@example.com\r\nTo: ${approvals}\r\nSubject: app\r\n\r\nhi\r\n`);
    gateway = await startImapGatewayRuntime(sandbox!);
    await sandbox!.control.clearTokenCalls();
    expect(await opens(approvals, "app-reader")).toBeGreaterThanOrEqual(1);
    const calls = await sandbox!.control.tokenCalls();
    expect(calls.some((c) => JSON.stringify(c).includes("client_credentials"))).toBe(true);
  });
});
