import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_SHARED_MAILBOX, SEED_USERS, type RunningSandbox } from "@mail-connect/m365-sandbox";
import { authorizeAs, startMailTestStack } from "../../test/support/mail-checks";
import {
  createRelayCredential,
  refusal,
  relayClient,
  type RelayHandle,
  startRelay,
} from "../../test/support/relay-stack";

/**
 * The relay sending from a shared mailbox: upstream it authenticates (XOAUTH2 user=) as the delegate who
 * authorized the SMTP connection, and MAIL FROM / From: carry the shared address; Exchange checks Send As
 * at the end of DATA, and its refusal reaches the relay's client as it is.
 */
const shared = SEED_SHARED_MAILBOX.email;
const delegate = SEED_USERS.delegate.email;
let sandbox: RunningSandbox;
let relay: RelayHandle;
let secret: string;

beforeAll(async () => {
  sandbox = await startMailTestStack({ smtpUser: shared, smtpSignInAs: delegate });
  await authorizeAs(sandbox, "smtp", SEED_USERS.delegate);
  relay = await startRelay(sandbox);
  secret = (await createRelayCredential("shared", { allowedFrom: shared })).secret;
});
afterAll(async () => {
  await relay?.runtime.stop();
  await sandbox?.stop();
});

const EXTERNAL = "partner@example.net";
const subjectOf = (tag: string) => `shared ${tag} ${Math.random().toString(16).slice(2, 8)}`;
const send = (subject: string) =>
  relayClient(relay, { user: "shared", pass: secret }).sendMail({
    from: shared,
    to: EXTERNAL, // leaves the tenant: the sandbox's outbox records who authenticated
    subject,
    text: "from the shared mailbox",
  });

describe("the relay and a shared mailbox", () => {
  it("Send As granted: authenticates as the delegate, sends from the shared address, Microsoft's 250", async () => {
    const subject = subjectOf("granted");
    const info = await send(subject);
    expect(info.response).toMatch(/^250 2\.0\.0 OK /);
    const entry = (await sandbox.control.outbox()).find((o) => o.raw.includes(subject));
    expect(entry).toMatchObject({ authenticatedAs: delegate, mailFrom: shared });
    expect(entry?.raw).toMatch(new RegExp(`^From: ${shared.replace(".", "\\.")}`, "m"));
    expect(entry?.rcptTo).toEqual([EXTERNAL]);
  });

  it("Send As revoked: the client gets Microsoft's 550 5.7.60, and nothing is delivered", async () => {
    await sandbox.control.setMailboxPermission(shared, delegate, { sendAs: false });
    try {
      const before = (await sandbox.control.outbox()).length;
      const reply = await refusal(send(subjectOf("revoked")));
      expect(reply).toMatch(/^550 5\.7\.60 SMTP; Client does not have permissions to send as this sender/);
      expect(await sandbox.control.outbox()).toHaveLength(before);
      const { flushActivity } = await import("@/lib/relay/activity-log");
      await flushActivity();
      const { recentActivity } = await import("@/lib/relay/relay-repository");
      const [last] = await recentActivity(1);
      expect(last).toMatchObject({ mailFrom: shared });
      expect(last.reply).toMatch(/^550 5\.7\.60/);
    } finally {
      await sandbox.control.setMailboxPermission(shared, delegate, { sendAs: true });
    }
  });
});
