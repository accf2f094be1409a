import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations } from "@/lib/db/migrate";
import { databaseUrl } from "@/lib/db/database-url";
import { authorizeAs, configure, startTestSandbox } from "../../test/support/sandbox-oauth";
import { saveCertificate } from "../../test/support/certificate-settings";
import type { RunningSandbox } from "@mail-connect/m365-sandbox";
import { SEED_APP, SEED_USERS } from "@mail-connect/m365-sandbox";

/**
 * Issue 13 section 3 through real MSAL and the in-process sandbox: with the Certificate credential,
 * MSAL signs a client assertion with the stored key for the authorization code and for every refresh;
 * the sandbox accepts it only while the certificate is registered for the app.
 */
let sandbox: RunningSandbox;
let db: typeof import("@/lib/db/client").db;
let repo: typeof import("@/lib/settings/email-repository");
let mt: typeof import("@/lib/microsoft/mail-token");

const mailer = SEED_USERS.mailer;

async function lastTokenCall() {
  const calls = await sandbox.control.tokenCalls();
  return calls[calls.length - 1]!;
}

beforeAll(async () => {
  await applyMigrations(databaseUrl());
  sandbox = await startTestSandbox();
  ({ db } = await import("@/lib/db/client"));
  repo = await import("@/lib/settings/email-repository");
  mt = await import("@/lib/microsoft/mail-token");
  await configure(sandbox);
});
afterAll(async () => {
  await sandbox?.stop();
});

describe("certificate-authenticated Microsoft connection", () => {
  let certificatePem: string;

  it("stores the generated certificate (public part in clear, key encrypted) and shows its thumbprint only", async () => {
    certificatePem = await saveCertificate({ kind: "generate" });
    const stored = await repo.getEmailSettings();
    expect(stored.msCredentialType).toBe("certificate");
    expect(stored.msCertificatePem).toBe(certificatePem);
    expect(stored.msCertificateKeyEnc).toBeTruthy();
    expect(stored.msCertificateKeyEnc).not.toContain("PRIVATE KEY");
    const page = repo.toFormValues(stored);
    expect(page.certificate?.thumbprintSha256).toMatch(/^[0-9A-F]{64}$/);
    expect(JSON.stringify(page)).not.toContain("PRIVATE KEY");
    expect(page.secrets.msCertificate).toEqual({ set: true });
  });

  it("until the certificate is uploaded for the app, Microsoft answers AADSTS700027 and nothing is connected", async () => {
    await authorizeAs(sandbox, "smtp", mailer); // the callback page reports the failure (its translation)
    const call = await lastTokenCall();
    expect(call.grantType).toBe("authorization_code");
    expect(call.errorCode).toBe(700027);
    expect(await db.oAuthConnection.count()).toBe(0);
  });

  it("once it is registered: Authorize (authorization code) and the refresh both authenticate with the assertion", async () => {
    await sandbox.control.addAppCertificate(SEED_APP.clientId, { pem: certificatePem });
    await authorizeAs(sandbox, "smtp", mailer);
    expect(await lastTokenCall()).toMatchObject({ grantType: "authorization_code", status: 200 });
    const token = await mt.acquireMailToken("smtp", { forceRefresh: true });
    expect(token.accessToken).toBeTruthy();
    expect(await lastTokenCall()).toMatchObject({ grantType: "refresh_token", status: 200 });
  });

  it("the refresh fails with AADSTS700027 once the certificate is removed from the app (the assertion was what authenticated)", async () => {
    const [registered] = await sandbox.control.appCertificates(SEED_APP.clientId);
    await sandbox.control.removeAppCertificate(SEED_APP.clientId, { keyId: registered!.keyId });
    await expect(mt.acquireMailToken("smtp", { forceRefresh: true })).rejects.toThrow();
    expect(await lastTokenCall()).toMatchObject({ grantType: "refresh_token", errorCode: 700027 });
    await sandbox.control.addAppCertificate(SEED_APP.clientId, { pem: certificatePem });
  });

  it("replacing the certificate marks the Microsoft connections as needing re-authorization", async () => {
    const before = await db.oAuthConnection.findFirstOrThrow();
    expect(before.status).not.toBe("needs_reauth");
    await saveCertificate({ kind: "generate" });
    const after = await db.oAuthConnection.findFirstOrThrow();
    expect(after.status).toBe("needs_reauth");
    expect(after.lastError).toMatch(/credential \(client secret or certificate\) was replaced/);
  });
});
