import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ConfidentialClientApplication } from "@azure/msal-node";
import {
  SEED_APP,
  SEED_TENANT,
  SEED_USERS,
  sandboxNetworkClient,
  type RunningSandbox,
} from "@mail-connect/m365-sandbox";
import { runChecks, startMailTestStack } from "../../test/support/mail-checks";
import { grantAppOnlyAccess } from "../../test/support/app-only-grants";
import { saveCertificate } from "../../test/support/certificate-settings";

/**
 * The Certificate credential on an Application (app-only) connection: the client-credentials token is
 * obtained with a client assertion signed by the stored key (lib/microsoft/msal-client.ts, used by
 * lib/microsoft/app-token.ts). The app has no usable client secret at all: its secrets are rotated away.
 */
let sandbox: RunningSandbox;
let certificatePem: string;
const mailer = SEED_USERS.mailer.email;
const approvals = SEED_USERS.approvals.email;

const clientCredentialCalls = async () =>
  (await sandbox.control.tokenCalls()).filter((c) => c.grantType === "client_credentials");

beforeAll(async () => {
  sandbox = await startMailTestStack({ smtpConnectionType: "application", imapConnectionType: "application" });
  await grantAppOnlyAccess(sandbox, [mailer, approvals]);
  certificatePem = await saveCertificate({ kind: "generate" });
  await sandbox.control.addAppCertificate(SEED_APP.clientId, { pem: certificatePem });
  // Rotate the secrets away: the only one left is a random value nobody here knows.
  await sandbox.control.addAppSecret(SEED_APP.clientId, { replace: true });
});
afterAll(async () => {
  await sandbox?.stop();
});
beforeEach(async () => {
  const { resetAppClients } = await import("@/lib/microsoft/app-token");
  resetAppClients(); // a cold MSAL cache: each test asks Microsoft
  await sandbox.control.clearTokenCalls();
});

describe("Application connection with the Certificate credential", () => {
  it("the app's former secret no longer authenticates (there is no secret to fall back on)", async () => {
    const msal = new ConfidentialClientApplication({
      auth: {
        clientId: SEED_APP.clientId,
        clientSecret: SEED_APP.secretValue,
        authority: `${sandbox.authorityOrigin}/${SEED_TENANT.id}`,
        knownAuthorities: [sandbox.authorityHost],
      },
      system: { networkClient: sandboxNetworkClient(sandbox.caCert) },
    });
    await expect(
      msal.acquireTokenByClientCredential({ scopes: ["https://outlook.office.com/.default"] }),
    ).rejects.toThrow(/AADSTS7000215/);
  });

  it("the client-credentials token comes from the certificate's assertion, and SMTP and IMAP are green with it", async () => {
    const { getEmailSettings } = await import("@/lib/settings/email-repository");
    expect((await getEmailSettings()).msCredentialType).toBe("certificate");
    const { acquireMailToken } = await import("@/lib/microsoft/mail-token");
    const token = await acquireMailToken("smtp");
    expect(token.app?.roles).toEqual(expect.arrayContaining(["SMTP.SendAsApp"]));
    expect(token.mailbox).toBe(mailer);
    expect(await clientCredentialCalls()).toMatchObject([{ status: 200, clientId: SEED_APP.clientId }]);

    const run = await runChecks(sandbox);
    expect(run.cards.map((c) => [c.id, c.ok])).toEqual([
      ["smtp-token", true],
      ["smtp", true],
      ["imap-token", true],
      ["imap", true],
    ]);
  });

  it("with the certificate removed from the app, Microsoft answers AADSTS700027 (the assertion was what authenticated)", async () => {
    const [registered] = await sandbox.control.appCertificates(SEED_APP.clientId);
    await sandbox.control.removeAppCertificate(SEED_APP.clientId, { keyId: registered!.keyId });
    try {
      const { acquireMailToken } = await import("@/lib/microsoft/mail-token");
      await expect(acquireMailToken("smtp")).rejects.toThrow(/AADSTS700027|700027/);
      expect(await clientCredentialCalls()).toMatchObject([{ errorCode: 700027 }]);
      const run = await runChecks(sandbox);
      expect(run.card("smtp-token").ok).toBe(false);
      expect(run.card("smtp-token").serverResponse).toContain("AADSTS700027");
    } finally {
      await sandbox.control.addAppCertificate(SEED_APP.clientId, { pem: certificatePem });
    }
  });
});
