import { X509Certificate } from "node:crypto";
import { ConfidentialClientApplication, ServerError } from "@azure/msal-node";
import { importPKCS8, SignJWT } from "jose";
import { generate } from "selfsigned";
import { beforeAll, describe, expect, it } from "vitest";
import { ControlApiError } from "./control-client";
import { signInWithMsal, type TestSandbox, useTestSandbox } from "./fixture";
import { sandboxNetworkClient } from "./network";
import { SEED_APP, SEED_TENANT, SEED_USERS } from "./seed";
import { httpsRequest } from "./testing";

let sb: TestSandbox;
useTestSandbox((started) => {
  sb = started;
});

type Credential = { cert: string; key: string; sha256: string; sha1: string };
let registered: Credential;
let other: Credential;

async function credential(name: string): Promise<Credential> {
  const made = await generate([{ name: "commonName", value: name }], { keySize: 2048, algorithm: "sha256" });
  const x509 = new X509Certificate(made.cert);
  return {
    cert: made.cert,
    key: made.private,
    sha256: x509.fingerprint256.replace(/:/g, ""),
    sha1: x509.fingerprint.replace(/:/g, ""),
  };
}

beforeAll(async () => {
  registered = await credential("Mail Connect test (registered)");
  other = await credential("Mail Connect test (not registered)");
});

const tokenEndpoint = () => `${sb.authorityOrigin}/${SEED_TENANT.id}/oauth2/v2.0/token`;

function msalWithCertificate(c: Credential, options: { sha1?: boolean } = {}): ConfidentialClientApplication {
  return new ConfidentialClientApplication({
    auth: {
      clientId: SEED_APP.clientId,
      authority: `${sb.authorityOrigin}/${SEED_TENANT.id}`,
      knownAuthorities: [sb.authorityHost],
      clientCertificate: options.sha1
        ? { thumbprint: c.sha1, privateKey: c.key, x5c: c.cert }
        : { thumbprintSha256: c.sha256, privateKey: c.key, x5c: c.cert },
    },
    system: { networkClient: sandboxNetworkClient(sb.caCert) },
  });
}

/** A hand-made assertion (header and claims as given), presented with a code nobody issued. */
async function present(
  c: Credential,
  claims: { aud?: string; iss?: string; exp?: number; nbf?: number },
  thumbprintOf: Credential = c,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const now = Math.floor(Date.now() / 1000);
  const jwt = await new SignJWT({ jti: crypto.randomUUID() })
    .setProtectedHeader({
      alg: "PS256",
      typ: "JWT",
      "x5t#S256": Buffer.from(thumbprintOf.sha256, "hex").toString("base64url"),
    })
    .setAudience(claims.aud ?? tokenEndpoint())
    .setIssuer(claims.iss ?? SEED_APP.clientId)
    .setSubject(claims.iss ?? SEED_APP.clientId)
    .setNotBefore(claims.nbf ?? now)
    .setExpirationTime(claims.exp ?? now + 600)
    .sign(await importPKCS8(c.key, "PS256"));
  const res = await httpsRequest(tokenEndpoint(), {
    ca: sb.caCert,
    method: "POST",
    form: {
      client_id: SEED_APP.clientId,
      grant_type: "authorization_code",
      code: "not-a-code",
      redirect_uri: "https://localhost:3999/flexdeploy/rest/v2/oauth",
      client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
      client_assertion: jwt,
    },
  });
  return { status: res.status, body: JSON.parse(res.body) as Record<string, unknown> };
}

async function serverError(promise: Promise<unknown>): Promise<ServerError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(ServerError);
    return err as ServerError;
  }
  throw new Error("expected a ServerError");
}

const mailer = { email: SEED_USERS.mailer.email, password: SEED_USERS.mailer.password };

describe("certificate credentials (client assertions)", () => {
  it("registers a certificate's public part with its thumbprints and validity, and refuses what is not a certificate", async () => {
    const info = await sb.control.addAppCertificate(SEED_APP.clientId, { pem: registered.cert });
    expect(info.thumbprintSha256).toBe(registered.sha256);
    expect(info.thumbprintSha1).toBe(registered.sha1);
    expect(new Date(info.endDateTime).getTime()).toBeGreaterThan(Date.now());
    expect((await sb.control.app(SEED_APP.clientId)).certificates.map((c) => c.keyId)).toEqual([info.keyId]);
    await expect(sb.control.addAppCertificate(SEED_APP.clientId, { pem: "not a certificate" })).rejects.toThrow(
      ControlApiError,
    );
    await expect(sb.control.addAppCertificate(SEED_APP.clientId, { pem: registered.key })).rejects.toThrow(
      /not a PEM or DER X.509 certificate/,
    );
  });

  it("accepts MSAL's assertion (PS256, x5t#S256) for the authorization code and the refresh token", async () => {
    await sb.control.addAppCertificate(SEED_APP.clientId, { pem: registered.cert });
    const msal = msalWithCertificate(registered);
    const { result } = await signInWithMsal(sb, msal, mailer, { scopes: ["https://outlook.office.com/SMTP.Send"] });
    expect(result.accessToken).toBeTruthy();
    expect(result.account?.username).toBe(SEED_USERS.mailer.email);
    const refreshed = await msal.acquireTokenSilent({
      account: result.account!,
      scopes: ["https://outlook.office.com/SMTP.Send"],
      forceRefresh: true,
    });
    expect(refreshed.accessToken).not.toBe(result.accessToken);
    const calls = (await sb.control.tokenCalls()).filter((c) => c.status === 200).map((c) => c.grantType);
    expect(calls).toEqual(["authorization_code", "refresh_token"]);
  });

  it("accepts the legacy SHA-1 thumbprint (x5t, RS256)", async () => {
    await sb.control.addAppCertificate(SEED_APP.clientId, { pem: registered.cert });
    const { result } = await signInWithMsal(sb, msalWithCertificate(registered, { sha1: true }), mailer);
    expect(result.accessToken).toBeTruthy();
  });

  it("an unregistered certificate → invalid_client AADSTS700027 (the key was not found), 401", async () => {
    await sb.control.addAppCertificate(SEED_APP.clientId, { pem: registered.cert });
    const err = await serverError(signInWithMsal(sb, msalWithCertificate(other), mailer));
    expect(err.errorCode).toBe("invalid_client");
    expect(err.errorMessage).toContain("AADSTS700027");
    expect(err.errorMessage).toContain("The key was not found.");
    expect(err.errorMessage).toContain(`Thumbprint of key used by client: '${other.sha256}'`);
    const raw = await present(other, {});
    expect(raw.status).toBe(401);
    expect(raw.body.error_codes).toEqual([700027]);
  });

  it("a removed certificate stops working (AADSTS700027)", async () => {
    const info = await sb.control.addAppCertificate(SEED_APP.clientId, { pem: registered.cert });
    expect((await present(registered, {})).body.error_codes).toEqual([9002313]); // client accepted, the code is not
    await sb.control.removeAppCertificate(SEED_APP.clientId, { keyId: info.keyId });
    expect((await present(registered, {})).body.error_codes).toEqual([700027]);
  });

  it("a signature by another key under the registered thumbprint → AADSTS700027 (signature did not match)", async () => {
    await sb.control.addAppCertificate(SEED_APP.clientId, { pem: registered.cert });
    const raw = await present(other, {}, registered);
    expect(raw.status).toBe(401);
    expect(raw.body.error_codes).toEqual([700027]);
    expect(String(raw.body.error_description)).toContain(
      "The provided signature value did not match the expected signature value.",
    );
  });

  it("an expired or not yet valid assertion → AADSTS700024", async () => {
    await sb.control.addAppCertificate(SEED_APP.clientId, { pem: registered.cert });
    const now = Math.floor(Date.now() / 1000);
    const expired = await present(registered, { nbf: now - 7200, exp: now - 3600 });
    expect(expired.status).toBe(401);
    expect(expired.body.error).toBe("invalid_client");
    expect(expired.body.error_codes).toEqual([700024]);
    expect(String(expired.body.error_description)).toMatch(
      /Client assertion is not within its valid time range\. Current time: \d{4}-\d\d-\d\dT[\d:.]+Z, assertion valid from/,
    );
    const early = await present(registered, { nbf: now + 3600, exp: now + 4200 });
    expect(early.body.error_codes).toEqual([700024]);
  });

  it("another audience → AADSTS700023; another issuer → AADSTS700021", async () => {
    await sb.control.addAppCertificate(SEED_APP.clientId, { pem: registered.cert });
    const aud = await present(registered, { aud: "https://login.microsoftonline.com/common/oauth2/v2.0/token" });
    expect(aud.body.error_codes).toEqual([700023]);
    const iss = await present(registered, { iss: "00000000-0000-0000-0000-000000000000" });
    expect(iss.body.error_codes).toEqual([700021]);
    // the tenant's token endpoint named by its verified domain is the same audience
    const byDomain = await present(registered, {
      aud: `${sb.authorityOrigin}/${SEED_TENANT.domain}/oauth2/v2.0/token`,
    });
    expect(byDomain.body.error_codes).toEqual([9002313]);
  });
});
