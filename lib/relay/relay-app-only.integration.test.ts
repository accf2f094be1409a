import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_APP, SEED_USERS, type RunningSandbox } from "@mail-connect/m365-sandbox";
import { startMailTestStack } from "../../test/support/mail-checks";
import { grantAppOnlyAccess } from "../../test/support/app-only-grants";
import {
  createRelayCredential,
  refusal,
  relayClient,
  type RelayHandle,
  startRelay,
} from "../../test/support/relay-stack";

/**
 * The relay with an Application (app-only) SMTP connection: upstream XOAUTH2 user= is the mailbox, with
 * the app's client-credentials token. When Exchange refuses the app's sign-in (its service principal has
 * no FullAccess on the mailbox), the relay answers a temporary refusal with Exchange's reason, never a 250.
 */
const mailer = SEED_USERS.mailer.email;
const EXTERNAL = "partner@example.net";
let sandbox: RunningSandbox;
let relay: RelayHandle;
let secret: string;

beforeAll(async () => {
  sandbox = await startMailTestStack({ smtpConnectionType: "application" });
  await grantAppOnlyAccess(sandbox, [mailer]);
  relay = await startRelay(sandbox);
  secret = (await createRelayCredential("apponly", { allowedFrom: mailer })).secret;
});
afterAll(async () => {
  await relay?.runtime.stop();
  await sandbox?.stop();
});

const subjectOf = (tag: string) => `app-only ${tag} ${Math.random().toString(16).slice(2, 8)}`;
const send = (subject: string) =>
  relayClient(relay, { user: "apponly", pass: secret }).sendMail({
    from: mailer,
    to: EXTERNAL,
    subject,
    text: "sent with the app's token",
  });

describe("the relay with an app-only SMTP connection", () => {
  it("authenticates as the mailbox with the app's token (client credentials) and answers Microsoft's 250", async () => {
    await sandbox.control.clearTokenCalls();
    const subject = subjectOf("accepted");
    const info = await send(subject);
    expect(info.response).toMatch(/^250 2\.0\.0 OK /);
    const entry = (await sandbox.control.outbox()).find((o) => o.raw.includes(subject));
    expect(entry).toMatchObject({ authenticatedAs: mailer, mailFrom: mailer, rcptTo: [EXTERNAL] });
    expect((await sandbox.control.tokenCalls()).map((c) => [c.grantType, c.status])).toEqual([
      ["client_credentials", 200],
    ]);
  });

  it("the service principal's mailbox grant removed: a 454 with Exchange's 535 5.7.3 as the reason, nothing sent", async () => {
    await sandbox.control.appOnly.setMailboxFullAccess(mailer, SEED_APP.servicePrincipalObjectId, false);
    // The session opened above stays signed in (as on Exchange): the grant is checked at the next AUTH.
    (await relay.runtime.upstreamPool()).closeIdle();
    try {
      const before = (await sandbox.control.outbox()).length;
      const reply = await refusal(send(subjectOf("refused")));
      expect(reply).toMatch(
        /^454 4\.7\.0 Microsoft refused the relay's sign-in \(535 5\.7\.3 Authentication unsuccessful.*\); an administrator must fix the connection on Email Settings\.$/,
      );
      expect(await sandbox.control.outbox()).toHaveLength(before);
      const { flushActivity } = await import("@/lib/relay/activity-log");
      await flushActivity();
      const { recentActivity } = await import("@/lib/relay/relay-repository");
      const [last] = await recentActivity(1);
      expect(last).toMatchObject({ mailFrom: mailer });
      expect(last.outcome).not.toBe("relayed");
      expect(last.reply).toMatch(/^454 4\.7\.0 .*535 5\.7\.3/);
    } finally {
      await sandbox.control.appOnly.setMailboxFullAccess(mailer, SEED_APP.servicePrincipalObjectId, true);
    }
    const subject = subjectOf("restored");
    expect((await send(subject)).response).toMatch(/^250 2\.0\.0 OK /);
  });
});
