import { ImapFlow } from "imapflow";
import nodemailer from "nodemailer";
import { describe, expect, it } from "vitest";
import { msalFor, TEST_REDIRECT_URI, type TestSandbox, useTestSandbox } from "./fixture";
import { SEED_APP, SEED_TENANT, SEED_USERS } from "./seed";
import { CookieJar, completeAuthorize } from "./testing";
import { decodeJwt } from "./tokens";

let sb: TestSandbox;
useTestSandbox((started) => {
  sb = started;
});

const EXCHANGE_DEFAULT = "https://outlook.office365.com/.default";
const mailer = SEED_USERS.mailer.email;
const approvals = SEED_USERS.approvals.email;

async function appToken(scopes = [EXCHANGE_DEFAULT]): Promise<string> {
  const result = await msalFor(sb).acquireTokenByClientCredential({ scopes });
  if (!result?.accessToken) throw new Error("no token");
  return result.accessToken;
}

/** Consent, the Exchange service principal (the Enterprise application's object id) and FullAccess on `mailboxes`. */
async function setUpAppOnly(mailboxes: string[]): Promise<void> {
  await sb.control.appOnly.setAppConsent(SEED_APP.clientId, true);
  await sb.control.appOnly.newServicePrincipal({
    appId: SEED_APP.clientId,
    objectId: SEED_APP.servicePrincipalObjectId,
  });
  for (const m of mailboxes) await sb.control.appOnly.setMailboxFullAccess(m, SEED_APP.servicePrincipalObjectId, true);
}

function send(user: string, accessToken: string) {
  return nodemailer
    .createTransport({
      host: sb.smtp.host,
      port: sb.smtp.port,
      secure: false,
      requireTLS: true,
      tls: { ca: sb.caCert },
      auth: { type: "OAuth2", user, accessToken },
      connectionTimeout: 5000,
    })
    .sendMail({ from: user, to: approvals, subject: "app-only", text: "sent by the app" });
}

async function smtpRefusal(user: string, accessToken: string): Promise<string> {
  try {
    await send(user, accessToken);
  } catch (err) {
    return (err as { response?: string }).response ?? String(err);
  }
  throw new Error("expected SMTP to refuse");
}

async function imapOpen(user: string, accessToken: string): Promise<number> {
  const client = new ImapFlow({
    host: sb.imap.host,
    port: sb.imap.port,
    secure: true,
    tls: { ca: sb.caCert },
    auth: { user, accessToken },
    logger: false,
    disableAutoIdle: true,
  });
  await client.connect();
  try {
    const box = await client.mailboxOpen("INBOX");
    return box.exists;
  } finally {
    await client.logout();
  }
}

async function imapRefusal(user: string, accessToken: string): Promise<string> {
  try {
    await imapOpen(user, accessToken);
  } catch (err) {
    const e = err as { responseText?: string; response?: string; message?: string };
    return e.responseText ?? e.response ?? e.message ?? String(err);
  }
  throw new Error("expected IMAP to refuse");
}

describe("client credentials grant", () => {
  it("issues an app token for Exchange's .default: the service principal's oid, idtyp app, no scp, no refresh token", async () => {
    await sb.control.appOnly.setAppConsent(SEED_APP.clientId, true);
    const result = await msalFor(sb).acquireTokenByClientCredential({ scopes: [EXCHANGE_DEFAULT] });
    const claims = decodeJwt(result?.accessToken ?? "");
    expect(claims).toMatchObject({
      aud: "https://outlook.office365.com",
      appid: SEED_APP.clientId,
      oid: SEED_APP.servicePrincipalObjectId,
      idtyp: "app",
      roles: ["SMTP.SendAsApp", "IMAP.AccessAsApp"],
    });
    expect(claims.scp).toBeUndefined();
    expect(claims.upn).toBeUndefined();
    const call = (await sb.control.tokenCalls()).at(-1);
    expect(call).toMatchObject({ grantType: "client_credentials", status: 200, issuedRefreshToken: null });
  });

  it("without admin consent for the application permissions: a token without roles (as Entra issues it)", async () => {
    const claims = decodeJwt(await appToken());
    expect(claims.roles).toBeUndefined();
    expect(claims.idtyp).toBe("app");
  });

  it("a delegated scope in a client-credentials request → invalid_scope AADSTS1002012", async () => {
    const err = await msalFor(sb)
      .acquireTokenByClientCredential({ scopes: ["https://outlook.office.com/SMTP.Send"] })
      .then(
        () => null,
        (e: unknown) => e as { errorCode?: string; errorMessage?: string },
      );
    expect(err?.errorCode).toBe("invalid_scope");
    expect(err?.errorMessage).toContain("AADSTS1002012");
    expect(err?.errorMessage).toContain("Client credential flows must have a scope value with /.default suffixed");
  });

  it("authenticates the client the same way as the other grants (a wrong secret → AADSTS7000215)", async () => {
    const err = await msalFor(sb, { clientSecret: SEED_APP.secretId })
      .acquireTokenByClientCredential({ scopes: [EXCHANGE_DEFAULT] })
      .then(
        () => null,
        (e: unknown) => e as { errorCode?: string; errorMessage?: string },
      );
    expect(err?.errorCode).toBe("invalid_client");
    expect(err?.errorMessage).toContain("AADSTS7000215");
  });

  it("Grant admin consent (the /adminconsent endpoint) grants the configured application permissions too", async () => {
    expect((await sb.control.appOnly.info(SEED_APP.clientId)).roles).toEqual([]);
    const url = `${sb.authorityOrigin}/${SEED_TENANT.id}/adminconsent?client_id=${SEED_APP.clientId}&redirect_uri=${encodeURIComponent(TEST_REDIRECT_URI)}`;
    const admin = await completeAuthorize(url, {
      ca: sb.caCert,
      jar: new CookieJar(),
      user: { email: SEED_USERS.admin.email, password: SEED_USERS.admin.password },
    });
    expect(admin.redirect.searchParams.get("admin_consent")).toBe("True");
    expect(decodeJwt(await appToken()).roles).toEqual(["SMTP.SendAsApp", "IMAP.AccessAsApp"]);
  });

  it("the portal ids: the app registration's object id differs from the Enterprise application's", async () => {
    const info = await sb.control.appOnly.info(SEED_APP.clientId);
    expect(info.applicationObjectId).toBe(SEED_APP.applicationObjectId);
    expect(info.servicePrincipalObjectId).toBe(SEED_APP.servicePrincipalObjectId);
    expect(info.applicationObjectId).not.toBe(info.servicePrincipalObjectId);
  });
});

describe("Exchange Online with an app token", () => {
  it("SMTP and IMAP work once consented, registered and granted FullAccess; user= is the mailbox", async () => {
    await setUpAppOnly([mailer, approvals]);
    const token = await appToken();
    const info = await send(mailer, token);
    expect(info.response).toMatch(/^250 2\.0\.0 OK /);
    expect(await imapOpen(approvals, token)).toBe(1);
  });

  it("no service principal in Exchange → 535 5.7.3 and NO AUTHENTICATE failed.", async () => {
    await sb.control.appOnly.setAppConsent(SEED_APP.clientId, true);
    const token = await appToken();
    expect(await smtpRefusal(mailer, token)).toMatch(/^535 5\.7\.3 Authentication unsuccessful/);
    expect(await imapRefusal(approvals, token)).toContain("AUTHENTICATE failed");
  });

  it("the app registration's object id given to New-ServicePrincipal does not work (the token's oid is the Enterprise application's)", async () => {
    await sb.control.appOnly.setAppConsent(SEED_APP.clientId, true);
    await sb.control.appOnly.newServicePrincipal({ appId: SEED_APP.clientId, objectId: SEED_APP.applicationObjectId });
    await sb.control.appOnly.setMailboxFullAccess(mailer, SEED_APP.applicationObjectId, true);
    expect(await smtpRefusal(mailer, await appToken())).toMatch(/^535 5\.7\.3/);
  });

  it("no FullAccess on the mailbox → 535 5.7.3 / AUTHENTICATE failed; another mailbox stays closed", async () => {
    await setUpAppOnly([mailer]);
    const token = await appToken();
    expect(await imapRefusal(approvals, token)).toContain("AUTHENTICATE failed");
    await sb.control.appOnly.setMailboxFullAccess(mailer, SEED_APP.servicePrincipalObjectId, false);
    expect(await smtpRefusal(mailer, token)).toMatch(/^535 5\.7\.3/);
  });

  it("consent revoked → the token has no roles → 535 5.7.3 / AUTHENTICATE failed", async () => {
    await setUpAppOnly([mailer, approvals]);
    await sb.control.appOnly.setAppConsent(SEED_APP.clientId, false);
    const token = await appToken();
    expect(decodeJwt(token).roles).toBeUndefined();
    expect(await smtpRefusal(mailer, token)).toMatch(/^535 5\.7\.3/);
    expect(await imapRefusal(approvals, token)).toContain("AUTHENTICATE failed");
  });

  it("only SMTP.SendAsApp configured: SMTP works, IMAP is refused", async () => {
    await sb.control.appOnly.setAppPermissions(SEED_APP.clientId, ["SMTP.SendAsApp"]);
    await setUpAppOnly([mailer, approvals]);
    const token = await appToken();
    expect(decodeJwt(token).roles).toEqual(["SMTP.SendAsApp"]);
    expect((await send(mailer, token)).response).toMatch(/^250 /);
    expect(await imapRefusal(approvals, token)).toContain("AUTHENTICATE failed");
  });

  it("Add-MailboxPermission for a service principal Exchange does not know is refused", async () => {
    await expect(
      sb.control.appOnly.setMailboxFullAccess(mailer, SEED_APP.servicePrincipalObjectId, true),
    ).rejects.toMatchObject({ status: 404 });
  });
});
