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

/**
 * Application (app-only) connections in Test Email Configuration, against the sandbox: the app's
 * token by client credentials (reused from MSAL's cache while valid: a warm run makes no token
 * call), the roles read before Exchange answers, and each Exchange-side failure diagnosed with the
 * command that fixes it.
 */
let sandbox: RunningSandbox;
const mailer = SEED_USERS.mailer.email;
const approvals = SEED_USERS.approvals.email;

const grantEverything = () => grantAppOnlyAccess(sandbox, [mailer, approvals]);

beforeAll(async () => {
  sandbox = await startMailTestStack({ smtpConnectionType: "application", imapConnectionType: "application" });
});
afterAll(async () => {
  await sandbox?.stop();
});
beforeEach(async () => {
  const { resetAppClients } = await import("@/lib/microsoft/app-token");
  resetAppClients(); // a cold MSAL cache: each test starts without the previous test's app token
  await grantEverything();
  await sandbox.control.clearTokenCalls();
});

describe("Application connections: tokens", () => {
  it("SMTP and IMAP green with the app's token; cold: one client-credentials call for both roles; warm: no token call", async () => {
    const cold = await runChecks(sandbox);
    expect(cold.cards.map((c) => [c.id, c.ok])).toEqual([
      ["smtp-token", true],
      ["smtp", true],
      ["imap-token", true],
      ["imap", true],
    ]);
    expect((await sandbox.control.tokenCalls()).map((c) => c.grantType)).toEqual(["client_credentials"]);
    expect(cold.card("smtp-token").summary).toContain(`App-only token of ${SEED_APP.clientId} for ${mailer}`);
    expect(cold.card("smtp-token").summary).toContain("requested from Microsoft by client credentials");
    expect(cold.card("imap-token").facts).toMatchObject({ connection: "application", source: "cache" });
    expect(cold.card("imap").summary).toContain(approvals);

    await sandbox.control.clearTokenCalls();
    const warm = await runChecks(sandbox);
    expect(warm.ok).toBe(true);
    expect(await sandbox.control.tokenCalls()).toEqual([]);
    expect(warm.card("smtp-token").summary).toContain("reused from the app's token cache (no token request)");

    const { listAppConnectionViews } = await import("@/lib/microsoft/app-connection-repository");
    const rows = await listAppConnectionViews();
    expect(rows.map((r) => [r.mailbox, r.status, r.tokenRoles])).toEqual([
      [approvals, "connected", ["SMTP.SendAsApp", "IMAP.AccessAsApp"]],
      [mailer, "connected", ["SMTP.SendAsApp", "IMAP.AccessAsApp"]],
    ]);
    expect(rows.every((r) => r.clientId === SEED_APP.clientId.toLowerCase())).toBe(true);
  });

  it("consent missing: the token has no roles; the card says which application permission and links admin consent; Exchange is not asked", async () => {
    await sandbox.control.appOnly.setAppConsent(SEED_APP.clientId, false);
    const run = await runChecks(sandbox);
    const token = run.card("smtp-token");
    expect(token.ok).toBe(false);
    expect(token.summary).toContain("The app-only token has no SMTP.SendAsApp role (roles: none)");
    expect(token.hint).toContain("Office 365 Exchange Online → Application permissions → SMTP.SendAsApp");
    expect(token.links?.[0]).toMatchObject({ label: "Grant admin consent" });
    expect(token.links?.[0]?.href).toContain(`/${SEED_TENANT.id}/adminconsent?client_id=${SEED_APP.clientId}`);
    expect(run.card("imap-token").summary).toContain("no IMAP.AccessAsApp role");
    expect(run.card("smtp")).toMatchObject({ status: "skipped" });
    const { findAppConnection } = await import("@/lib/microsoft/app-connection-repository");
    expect(await findAppConnection(SEED_APP.clientId, mailer)).toMatchObject({
      status: "failing",
      lastErrorCode: "app_role_missing",
    });
  });

  it("the monitor has nothing to refresh for Application roles, but probes with their token", async () => {
    const { runMonitor } = await import("@/lib/monitor/run-monitor");
    const report = await runMonitor({
      tls: { ca: sandbox.caCert },
      notify: async () => ({ sent: false, reason: "test" }) as never,
    });
    expect(report.tokens.refreshed).toEqual([]);
    expect(report.results.map((r) => [r.role, r.mailbox, r.ok])).toEqual([
      ["smtp", mailer, true],
      ["imap", approvals, true],
    ]);
    expect((await sandbox.control.tokenCalls()).map((c) => c.grantType)).toEqual(["client_credentials"]);
  });

  it("consent granted after a roleless token was cached: a fresh token is fetched at once", async () => {
    await sandbox.control.appOnly.setAppConsent(SEED_APP.clientId, false);
    expect((await runChecks(sandbox)).ok).toBe(false);
    await sandbox.control.appOnly.setAppConsent(SEED_APP.clientId, true);
    const run = await runChecks(sandbox);
    expect(run.ok).toBe(true);
  });

  it("the app's credential no longer valid (secret replaced in Azure): Microsoft's answer, AADSTS7000215", async () => {
    await sandbox.control.addAppSecret(SEED_APP.clientId, { replace: true });
    try {
      const run = await runChecks(sandbox);
      expect(run.card("smtp-token").ok).toBe(false);
      expect(run.card("smtp-token").serverResponse).toContain("AADSTS7000215");
      expect(run.card("smtp-token").hint).toContain("Paste the secret's Value");
    } finally {
      await sandbox.control.addAppSecret(SEED_APP.clientId, { value: SEED_APP.secretValue, replace: true });
    }
  });
});

describe("Application connections: Exchange's answers diagnosed", () => {
  it("no service principal in Exchange → 535 5.7.3 / AUTHENTICATE failed, with New-ServicePrincipal and the object-id warning", async () => {
    await sandbox.control.appOnly.removeServicePrincipal(SEED_APP.servicePrincipalObjectId);
    const run = await runChecks(sandbox);
    const smtp = run.card("smtp");
    expect(smtp.serverResponse).toMatch(/^535 5\.7\.3 Authentication unsuccessful/);
    expect(smtp.summary).toBe(
      `Exchange refused the app for ${mailer} (535 5.7.3 Authentication unsuccessful): the app's service principal is not registered in Exchange Online, or it has no FullAccess on ${mailer}.`,
    );
    expect(smtp.hint).toContain(
      `New-ServicePrincipal -AppId ${SEED_APP.clientId} -ObjectId '<object id of the Enterprise application>'`,
    );
    expect(smtp.hint).toContain("NOT the Object ID on App registrations");
    const imap = run.card("imap");
    expect(imap.serverResponse).toContain("AUTHENTICATE failed");
    expect(imap.summary).toContain(`Exchange refused the app for ${approvals} (NO AUTHENTICATE failed.)`);
    expect(imap.hint).toContain(
      `Add-MailboxPermission -Identity ${approvals} -User '<object id of the Enterprise application>' -AccessRights FullAccess`,
    );
  });

  it("no mailbox permission → the same answer from Exchange, and the Add-MailboxPermission that fixes it", async () => {
    await sandbox.control.appOnly.setMailboxFullAccess(mailer, SEED_APP.servicePrincipalObjectId, false);
    const run = await runChecks(sandbox);
    expect(run.card("smtp").hint).toContain(
      `Add-MailboxPermission -Identity ${mailer} -User '<object id of the Enterprise application>' -AccessRights FullAccess`,
    );
    expect(run.card("imap").ok).toBe(true);
  });

  it("a delegated-only scope asked by client credentials → invalid_scope, explained", async () => {
    const { translateAppTokenError } = await import("@/lib/microsoft/app-token");
    const msal = new ConfidentialClientApplication({
      auth: {
        clientId: SEED_APP.clientId,
        clientSecret: SEED_APP.secretValue,
        authority: `${sandbox.authorityOrigin}/${SEED_TENANT.id}`,
        knownAuthorities: [sandbox.authorityHost],
      },
      system: { networkClient: sandboxNetworkClient(sandbox.caCert) },
    });
    const scope = "https://outlook.office.com/SMTP.Send";
    const error = await msal.acquireTokenByClientCredential({ scopes: [scope] }).then(
      () => null,
      (e: unknown) => e,
    );
    const t = translateAppTokenError(error, {
      clientId: SEED_APP.clientId,
      tenant: SEED_TENANT.id,
      scope: "https://outlook.office.com/.default",
      adminConsentUrl: null,
    });
    expect(t.code).toBe("AADSTS1002012");
    expect(t.summary).toContain('client credentials accept only "<resource>/.default", not a delegated scope');
    expect(t.fix).toContain("An Application connection asks for https://outlook.office.com/.default");
    expect(t.microsoftText).toContain("Client credential flows must have a scope value with /.default suffixed");
  });
});
