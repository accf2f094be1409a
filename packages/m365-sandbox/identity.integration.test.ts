import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { ServerError, CryptoProvider, type AccountInfo } from "@azure/msal-node";
import { createLocalJWKSet, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { refreshTokenFingerprint } from "./control-client";
import { MAIL_SCOPES, msalFor, signInWithMsal, TEST_REDIRECT_URI, type TestSandbox, useTestSandbox } from "./fixture";
import { SEED_APP, SEED_TENANT, SEED_USERS } from "./seed";
import { startSandbox } from "./start";
import { completeAuthorize, CookieJar, httpsRequest, parsePage } from "./testing";
import { decodeJwt } from "./tokens";

let sb: TestSandbox;
useTestSandbox((started) => {
  sb = started;
});

const mailer = { email: SEED_USERS.mailer.email, password: SEED_USERS.mailer.password };

function authorizeUrl(params: Record<string, string>, tenant: string = SEED_TENANT.id): string {
  const q = new URLSearchParams({
    client_id: SEED_APP.clientId,
    response_type: "code",
    redirect_uri: TEST_REDIRECT_URI,
    scope: `${MAIL_SCOPES.join(" ")} offline_access openid profile`,
    state: "s1",
    client_info: "1",
    ...params,
  });
  return `${sb.authorityOrigin}/${tenant}/oauth2/v2.0/authorize?${q}`;
}

async function expectServerError(promise: Promise<unknown>): Promise<ServerError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(ServerError);
    return err as ServerError;
  }
  throw new Error("expected a ServerError");
}

describe("discovery, keys and certificates", () => {
  it("serves the discovery document by tenant GUID, by domain, and for common/organizations", async () => {
    const byId = JSON.parse(
      (
        await httpsRequest(`${sb.authorityOrigin}/${SEED_TENANT.id}/v2.0/.well-known/openid-configuration`, {
          ca: sb.caCert,
        })
      ).body,
    ) as Record<string, string>;
    const byDomain = JSON.parse(
      (
        await httpsRequest(`${sb.authorityOrigin}/${SEED_TENANT.domain}/v2.0/.well-known/openid-configuration`, {
          ca: sb.caCert,
        })
      ).body,
    ) as Record<string, string>;
    const common = JSON.parse(
      (await httpsRequest(`${sb.authorityOrigin}/common/v2.0/.well-known/openid-configuration`, { ca: sb.caCert }))
        .body,
    ) as Record<string, string>;
    expect(byId.issuer).toBe(`${sb.authorityOrigin}/${SEED_TENANT.id}/v2.0`);
    expect(byDomain.issuer).toBe(byId.issuer);
    expect(byDomain.token_endpoint).toBe(`${sb.authorityOrigin}/${SEED_TENANT.id}/oauth2/v2.0/token`);
    expect(common.issuer).toBe(`${sb.authorityOrigin}/{tenantid}/v2.0`);
    expect(common.authorization_endpoint).toBe(`${sb.authorityOrigin}/common/oauth2/v2.0/authorize`);
    const unknown = await httpsRequest(`${sb.authorityOrigin}/nowhere.test/v2.0/.well-known/openid-configuration`, {
      ca: sb.caCert,
    });
    expect(unknown.status).toBe(400);
    expect(JSON.parse(unknown.body)).toMatchObject({ error: "invalid_tenant", error_codes: [90002] });
  });

  it("writes a CA bundle with the system CAs and its own CA, and reuses the CA on the next start", async () => {
    const bundle = readFileSync(sb.caBundleFile, "utf8");
    expect(bundle).toContain(sb.caCert.trim());
    const system = "/etc/ssl/certs/ca-certificates.crt";
    let systemPem = "";
    try {
      systemPem = readFileSync(system, "utf8");
    } catch {
      // no system bundle on this machine
    }
    if (systemPem) expect(bundle.startsWith(systemPem.trimEnd())).toBe(true);
    const ca = new X509Certificate(sb.caCert);
    expect(ca.ca).toBe(true);
    const again = await startSandbox({ dataDir: sb.dataDir });
    try {
      expect(again.caCert).toBe(sb.caCert);
      const leaf = new X509Certificate(readFileSync(`${sb.dataDir}/server-cert.pem`));
      expect(leaf.checkIssued(ca)).toBe(true);
      expect(leaf.subjectAltName).toContain("IP Address:127.0.0.1");
      expect(leaf.subjectAltName).toContain("DNS:localhost");
    } finally {
      await again.stop();
    }
  });
});

describe("authorization code flow with MSAL (happy path)", () => {
  it("signs in, redeems the code with PKCE, and returns Outlook tokens with the claims apps rely on", async () => {
    const msal = msalFor(sb);
    const { result, redirect, pages } = await signInWithMsal(sb, msal, mailer, {
      prompt: "select_account",
      loginHint: mailer.email,
    });
    expect(pages).toEqual(["sign-in"]);
    expect(redirect.searchParams.get("state")).toBe("state-123");
    expect(redirect.searchParams.get("session_state")).toMatch(/^[0-9a-f-]{36}$/);
    const clientInfo = JSON.parse(
      Buffer.from(redirect.searchParams.get("client_info") ?? "", "base64url").toString(),
    ) as Record<string, string>;
    expect(clientInfo).toEqual({ uid: SEED_USERS.mailer.id, utid: SEED_TENANT.id });

    expect(result.account?.username).toBe(mailer.email);
    expect(result.account?.tenantId).toBe(SEED_TENANT.id);
    const at = decodeJwt(result.accessToken);
    expect(at).toMatchObject({
      aud: "https://outlook.office.com",
      scp: "SMTP.Send IMAP.AccessAsUser.All",
      upn: mailer.email,
      preferred_username: mailer.email,
      oid: SEED_USERS.mailer.id,
      tid: SEED_TENANT.id,
      appid: SEED_APP.clientId,
    });
    expect(Number(at.exp)).toBeGreaterThan(Date.now() / 1000);
    const idClaims = result.idTokenClaims as Record<string, unknown>;
    expect(idClaims).toMatchObject({
      aud: SEED_APP.clientId,
      iss: `${sb.authorityOrigin}/${SEED_TENANT.id}/v2.0`,
      nonce: "nonce-456",
      preferred_username: mailer.email,
    });

    // The id_token verifies against the published JWKS.
    const jwks = JSON.parse(
      (await httpsRequest(`${sb.authorityOrigin}/${SEED_TENANT.id}/discovery/v2.0/keys`, { ca: sb.caCert })).body,
    ) as Parameters<typeof createLocalJWKSet>[0];
    const verified = await jwtVerify(result.idToken, createLocalJWKSet(jwks), {
      issuer: `${sb.authorityOrigin}/${SEED_TENANT.id}/v2.0`,
      audience: SEED_APP.clientId,
    });
    expect(verified.payload.oid).toBe(SEED_USERS.mailer.id);
  });

  it("prefills login_hint on the sign-in page (MSAL drops it with select_account unless passed as extra parameter)", async () => {
    const msal = msalFor(sb);
    const url = await msal.getAuthCodeUrl({
      scopes: MAIL_SCOPES,
      redirectUri: TEST_REDIRECT_URI,
      prompt: "select_account",
      loginHint: "dropped@contoso.test",
      extraQueryParameters: { login_hint: mailer.email },
    });
    expect(new URL(url).searchParams.getAll("login_hint")).toEqual([mailer.email]);
    const page = parsePage((await httpsRequest(url, { ca: sb.caCert })).body);
    expect(page).toMatchObject({ kind: "sign-in", loginHint: mailer.email });
  });

  it("works through the domain, common (multi-tenant app) and organizations authorities", async () => {
    const byDomain = await signInWithMsal(sb, msalFor(sb, { tenant: SEED_TENANT.domain }), mailer);
    expect(byDomain.result.account?.username).toBe(mailer.email);
    // A single-tenant app cannot use /common (AADSTS50194) …
    const url = authorizeUrl({}, "common");
    await expect(completeAuthorize(url, { ca: sb.caCert, jar: new CookieJar(), user: mailer })).rejects.toThrow(
      /AADSTS50194/,
    );
    // … a multi-tenant one can.
    await sb.control.updateApp(SEED_APP.clientId, { signInAudience: "AzureADMultipleOrgs" });
    for (const tenant of ["common", "organizations"]) {
      const r = await signInWithMsal(sb, msalFor(sb, { tenant }), mailer);
      expect(r.result.account?.tenantId).toBe(SEED_TENANT.id);
    }
  });

  it("refresh tokens rotate on every use, the previous one keeps working, and the control API says which one was presented", async () => {
    const msal = msalFor(sb);
    const { result } = await signInWithMsal(sb, msal, mailer);
    const account = result.account as AccountInfo;
    const rt1 = JSON.parse(msal.getTokenCache().serialize()) as { RefreshToken: Record<string, { secret: string }> };
    const firstRt = Object.values(rt1.RefreshToken)[0]?.secret ?? "";
    expect(firstRt).not.toBe("");

    await msal.acquireTokenSilent({ account, scopes: MAIL_SCOPES, forceRefresh: true });
    await msal.acquireTokenSilent({ account, scopes: MAIL_SCOPES, forceRefresh: true });
    const calls = (await sb.control.tokenCalls()).filter((c) => c.grantType === "refresh_token");
    expect(calls).toHaveLength(2);
    expect(calls[0]?.presentedRefreshToken).toMatchObject({
      fingerprint: refreshTokenFingerprint(firstRt),
      sequence: 1,
      newest: true,
    });
    expect(calls[1]?.presentedRefreshToken).toMatchObject({ sequence: 2, newest: true });
    expect(calls[1]?.issuedRefreshToken?.sequence).toBe(3);
    const cached = JSON.parse(msal.getTokenCache().serialize()) as { RefreshToken: Record<string, { secret: string }> };
    const newest = Object.values(cached.RefreshToken)[0]?.secret ?? "";
    expect(refreshTokenFingerprint(newest)).toBe(calls[1]?.issuedRefreshToken?.fingerprint);

    // The old refresh token still works (like Microsoft), but the call log shows it was not the newest.
    const old = await msal.acquireTokenByRefreshToken({ refreshToken: firstRt, scopes: MAIL_SCOPES });
    expect(old?.accessToken).toBeTruthy();
    const last = (await sb.control.tokenCalls()).at(-1);
    expect(last?.presentedRefreshToken).toMatchObject({ sequence: 1, newest: false });
  });

  it("acquireTokenSilent refreshes by itself once the access token has expired", async () => {
    await sb.control.setAccessTokenLifetime(1);
    const msal = msalFor(sb);
    const { result } = await signInWithMsal(sb, msal, mailer);
    await new Promise((r) => setTimeout(r, 1200));
    const silent = await msal.acquireTokenSilent({ account: result.account as AccountInfo, scopes: MAIL_SCOPES });
    expect(silent.accessToken).not.toBe(result.accessToken);
    expect((await sb.control.tokenCalls()).map((c) => c.grantType)).toEqual(["authorization_code", "refresh_token"]);
  });
});

describe("authorize errors", () => {
  it("AADSTS700016: unknown client id, shown on the sandbox page without redirecting", async () => {
    const res = await httpsRequest(authorizeUrl({ client_id: "00000000-1111-2222-3333-444444444444" }), {
      ca: sb.caCert,
    });
    expect(res.status).toBe(400);
    expect(res.location).toBeNull();
    expect(parsePage(res.body)).toMatchObject({
      kind: "error",
      message: expect.stringContaining("AADSTS700016: Application with identifier"),
    });
  });

  it("AADSTS50011: redirect URI not registered, compared exactly and case-sensitively", async () => {
    for (const uri of [
      TEST_REDIRECT_URI.replace("flexdeploy", "FlexDeploy"),
      "http://localhost:3999/flexdeploy/rest/v2/oauth",
      `${TEST_REDIRECT_URI}/`,
    ]) {
      const res = await httpsRequest(authorizeUrl({ redirect_uri: uri }), { ca: sb.caCert });
      expect(res.location).toBeNull();
      expect(parsePage(res.body)).toMatchObject({
        kind: "error",
        message: expect.stringContaining(`AADSTS50011: The redirect URI '${uri}'`),
      });
    }
  });

  it("authorize takes scopes of two resources (consent to both, the code for the first); a token request refuses them (AADSTS28000); bare SMTP.Send is a Graph scope", async () => {
    await sb.control.updateApp(SEED_APP.clientId, {
      requiredScopes: [...MAIL_SCOPES, "https://graph.microsoft.com/Mail.Send"],
      consentGranted: false,
    });
    const msal = msalFor(sb);
    const { result, pages } = await signInWithMsal(sb, msal, mailer, {
      extraScopesToConsent: ["https://graph.microsoft.com/Mail.Send"],
    });
    expect(pages).toEqual(["sign-in", "consent"]);
    expect(decodeJwt(result.accessToken)).toMatchObject({ aud: "https://outlook.office.com" });
    const app = await sb.control.app(SEED_APP.clientId);
    expect(app.userConsents[SEED_USERS.mailer.id]).toEqual([...MAIL_SCOPES, "https://graph.microsoft.com/Mail.Send"]);
    // the consented Graph scope: a token from the refresh token, without another sign-in
    const graph = await msal.acquireTokenSilent({
      account: result.account!,
      scopes: ["https://graph.microsoft.com/Mail.Send"],
    });
    expect(decodeJwt(graph.accessToken)).toMatchObject({ aud: "https://graph.microsoft.com", scp: "Mail.Send" });
    const mixed = await expectServerError(
      msal.acquireTokenSilent({
        account: result.account!,
        scopes: ["https://outlook.office.com/SMTP.Send", "https://graph.microsoft.com/User.Read"],
        forceRefresh: true,
      }),
    );
    expect(mixed.errorMessage).toMatch(/AADSTS28000/);
    const bare = await signInWithMsal(sb, msalFor(sb), mailer, { scopes: ["SMTP.Send"] });
    expect(decodeJwt(bare.result.accessToken)).toMatchObject({ aud: "https://graph.microsoft.com", scp: "SMTP.Send" });
  });

  it("consent page when the app lacks consent; Accept records it and the next sign-in skips the page", async () => {
    await sb.control.updateApp(SEED_APP.clientId, { consentGranted: false });
    const first = await signInWithMsal(sb, msalFor(sb), mailer);
    expect(first.pages).toEqual(["sign-in", "consent"]);
    const app = await sb.control.app(SEED_APP.clientId);
    expect(app.userConsents[SEED_USERS.mailer.id]).toEqual(MAIL_SCOPES);
    const second = await signInWithMsal(sb, msalFor(sb), mailer);
    expect(second.pages).toEqual(["sign-in"]);
  });

  it("AADSTS65001 (consent_required) when users may not consent and no admin granted it; admin consent fixes it", async () => {
    await sb.control.updateApp(SEED_APP.clientId, { consentGranted: false, userConsentAllowed: false });
    const out = await completeAuthorize(authorizeUrl({}), { ca: sb.caCert, jar: new CookieJar(), user: mailer });
    expect(out.redirect.origin + out.redirect.pathname).toBe(TEST_REDIRECT_URI);
    expect(out.redirect.searchParams.get("error")).toBe("consent_required");
    expect(out.redirect.searchParams.get("error_description")).toMatch(
      /^AADSTS65001: The user or administrator has not consented/,
    );

    // A non-admin cannot grant admin consent …
    const consentUrl = `${sb.authorityOrigin}/${SEED_TENANT.id}/adminconsent?client_id=${SEED_APP.clientId}&redirect_uri=${encodeURIComponent(TEST_REDIRECT_URI)}&state=a1`;
    await expect(completeAuthorize(consentUrl, { ca: sb.caCert, jar: new CookieJar(), user: mailer })).rejects.toThrow(
      /AADSTS90094/,
    );
    // … an admin can.
    const admin = await completeAuthorize(consentUrl, {
      ca: sb.caCert,
      jar: new CookieJar(),
      user: { email: SEED_USERS.admin.email, password: SEED_USERS.admin.password },
    });
    expect(Object.fromEntries(admin.redirect.searchParams)).toMatchObject({
      admin_consent: "True",
      tenant: SEED_TENANT.id,
      state: "a1",
    });
    const after = await signInWithMsal(sb, msalFor(sb), mailer);
    expect(after.pages).toEqual(["sign-in"]);
  });

  it("Cancel returns error=access_denied to the app", async () => {
    const out = await completeAuthorize(authorizeUrl({}), {
      ca: sb.caCert,
      jar: new CookieJar(),
      user: { cancelSignIn: true },
    });
    expect(out.redirect.searchParams.get("error")).toBe("access_denied");
    expect(out.redirect.searchParams.get("state")).toBe("s1");
    await sb.control.updateApp(SEED_APP.clientId, { consentGranted: false });
    const declined = await completeAuthorize(authorizeUrl({}), {
      ca: sb.caCert,
      jar: new CookieJar(),
      user: { ...mailer, consent: "cancel" },
    });
    expect(declined.redirect.searchParams.get("error")).toBe("access_denied");
    expect(declined.redirect.searchParams.get("error_description")).toMatch(/^AADSTS65004: /);
  });

  it("wrong password shows an error on the sign-in page and issues nothing", async () => {
    const jar = new CookieJar();
    const first = parsePage((await httpsRequest(authorizeUrl({}), { ca: sb.caCert, jar })).body);
    if (first.kind !== "sign-in") throw new Error("expected the sign-in page");
    const res = await httpsRequest(new URL(first.action, sb.authorityOrigin).toString(), {
      ca: sb.caCert,
      jar,
      form: { ctx: first.ctx, action: "signin", login: mailer.email, passwd: "wrong" },
    });
    expect(res.status).toBe(400);
    expect(parsePage(res.body)).toMatchObject({ kind: "sign-in", error: expect.stringContaining("AADSTS50126") });
    expect(jar.size).toBe(0);
  });
});

describe("SSO session", () => {
  it("reuses the signed-in user silently without prompt (the FlexDeploy trap), and lists it with prompt=select_account", async () => {
    const jar = new CookieJar();
    const other = { email: SEED_USERS.other.email, password: SEED_USERS.other.password };
    await completeAuthorize(authorizeUrl({}), { ca: sb.caCert, jar, user: other });
    const silent = await completeAuthorize(authorizeUrl({}), { ca: sb.caCert, jar });
    expect(silent.pages).toEqual([]);
    expect(
      JSON.parse(Buffer.from(silent.redirect.searchParams.get("client_info") ?? "", "base64url").toString()),
    ).toMatchObject({ uid: SEED_USERS.other.id });
    const picker = parsePage(
      (await httpsRequest(authorizeUrl({ prompt: "select_account" }), { ca: sb.caCert, jar })).body,
    );
    expect(picker.kind).toBe("picker");
    if (picker.kind === "picker")
      expect(picker.accounts.map((a) => a.label)).toEqual([expect.stringContaining(SEED_USERS.other.email)]);
    // prompt=none with the session works, without it gives login_required.
    const none = await completeAuthorize(authorizeUrl({ prompt: "none" }), { ca: sb.caCert, jar: new CookieJar() });
    expect(none.redirect.searchParams.get("error")).toBe("login_required");
  });
});

describe("token endpoint errors", () => {
  async function codeFor(user = mailer): Promise<{ code: string; verifier: string }> {
    const pkce = await new CryptoProvider().generatePkceCodes();
    const out = await completeAuthorize(
      authorizeUrl({ code_challenge: pkce.challenge, code_challenge_method: "S256" }),
      { ca: sb.caCert, jar: new CookieJar(), user },
    );
    return { code: out.redirect.searchParams.get("code") ?? "", verifier: pkce.verifier };
  }

  it("AADSTS7000215 for a wrong secret (e.g. the secret ID pasted instead of its value)", async () => {
    const { code, verifier } = await codeFor();
    const err = await expectServerError(
      msalFor(sb, { clientSecret: SEED_APP.secretId }).acquireTokenByCode({
        code,
        scopes: MAIL_SCOPES,
        redirectUri: TEST_REDIRECT_URI,
        codeVerifier: verifier,
      }),
    );
    expect(err.errorCode).toBe("invalid_client");
    expect(err.errorMessage).toMatch(/AADSTS7000215: Invalid client secret provided/);
    expect(err.errorMessage).toMatch(
      /Trace ID: .*\r?\nCorrelation ID: .*\r?\nTimestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ/,
    );
  });

  it("AADSTS7000222 for an expired secret", async () => {
    const app = await sb.control.registerApp({
      redirectUris: [TEST_REDIRECT_URI],
      secretExpiresAt: new Date(Date.now() - 86400000).toISOString(),
    });
    const pkce = await new CryptoProvider().generatePkceCodes();
    const out = await completeAuthorize(
      authorizeUrl({ client_id: app.clientId, code_challenge: pkce.challenge, code_challenge_method: "S256" }),
      { ca: sb.caCert, jar: new CookieJar(), user: mailer },
    );
    const code = out.redirect.searchParams.get("code") ?? "";
    const err = await expectServerError(
      msalFor(sb, { clientId: app.clientId, clientSecret: app.secretValue }).acquireTokenByCode({
        code,
        scopes: MAIL_SCOPES,
        redirectUri: TEST_REDIRECT_URI,
        codeVerifier: pkce.verifier,
      }),
    );
    expect(err.errorCode).toBe("invalid_client");
    expect(err.errorMessage).toMatch(/AADSTS7000222: The provided client secret keys for app/);
  });

  it("codes are one-time, bound to the redirect URI and to the PKCE verifier", async () => {
    const msal = msalFor(sb);
    const a = await codeFor();
    const bad = await expectServerError(
      msal.acquireTokenByCode({
        code: a.code,
        scopes: MAIL_SCOPES,
        redirectUri: TEST_REDIRECT_URI,
        codeVerifier: "x".repeat(43),
      }),
    );
    expect(bad.errorMessage).toMatch(/AADSTS501481/);
    const b = await codeFor();
    await msal.acquireTokenByCode({
      code: b.code,
      scopes: MAIL_SCOPES,
      redirectUri: TEST_REDIRECT_URI,
      codeVerifier: b.verifier,
    });
    const again = await expectServerError(
      msal.acquireTokenByCode({
        code: b.code,
        scopes: MAIL_SCOPES,
        redirectUri: TEST_REDIRECT_URI,
        codeVerifier: b.verifier,
      }),
    );
    expect(again.errorCode).toBe("invalid_grant");
    expect(again.errorMessage).toMatch(/AADSTS54005/);
  });

  it("AADSTS50173 after the user’s refresh tokens are revoked; AADSTS700082 for an inactive refresh token", async () => {
    const msal = msalFor(sb);
    const { result } = await signInWithMsal(sb, msal, mailer);
    const account = result.account as AccountInfo;
    await sb.control.markRefreshTokensInactive({ user: mailer.email });
    const inactive = await expectServerError(
      msal.acquireTokenSilent({ account, scopes: MAIL_SCOPES, forceRefresh: true }),
    );
    expect(inactive.errorCode).toBe("invalid_grant");
    expect(String(inactive.errorNo)).toBe("700082");
    expect(inactive.errorMessage).toMatch(/AADSTS700082: The refresh token has expired due to inactivity/);

    const msal2 = msalFor(sb);
    const second = await signInWithMsal(sb, msal2, mailer);
    await sb.control.revokeRefreshTokens(mailer.email);
    const revoked = await expectServerError(
      msal2.acquireTokenSilent({
        account: second.result.account as AccountInfo,
        scopes: MAIL_SCOPES,
        forceRefresh: true,
      }),
    );
    expect(revoked.errorCode).toBe("invalid_grant");
    expect(revoked.errorMessage).toMatch(/AADSTS50173: The provided grant has expired due to it being revoked/);
  });

  it("can be made to answer 500, or to hang until released", async () => {
    const msal = msalFor(sb);
    const { result } = await signInWithMsal(sb, msal, mailer);
    const account = result.account as AccountInfo;
    const cache = msal.getTokenCache().serialize();
    // MSAL throttles an identical request for 60 s after a 5xx (no Retry-After): later calls use fresh instances.
    const fresh = () => {
      const m = msalFor(sb);
      m.getTokenCache().deserialize(cache);
      return m;
    };
    await sb.control.setTokenEndpoint("error500", 1);
    const failed = await expectServerError(
      msal.acquireTokenSilent({ account, scopes: MAIL_SCOPES, forceRefresh: true }),
    );
    expect(failed.errorCode).toBe("temporarily_unavailable");
    // count=1: the next call works again
    await fresh().acquireTokenSilent({ account, scopes: MAIL_SCOPES, forceRefresh: true });

    await sb.control.setTokenEndpoint("hang");
    const pending = fresh()
      .acquireTokenSilent({ account, scopes: MAIL_SCOPES, forceRefresh: true })
      .then(
        () => "resolved",
        () => "rejected",
      );
    const first = await Promise.race([pending, new Promise((r) => setTimeout(() => r("still hanging"), 800))]);
    expect(first).toBe("still hanging");
    await sb.control.setTokenEndpoint("none");
    expect(await pending).toBe("rejected");
    const calls = await sb.control.tokenCalls();
    expect(calls.map((c) => c.status)).toEqual([200, 500, 200, 0]);
  });

  it("adds latency to identity responses when asked", async () => {
    await sb.control.setLatency({ http: 300 });
    const t0 = Date.now();
    await httpsRequest(`${sb.authorityOrigin}/${SEED_TENANT.id}/discovery/v2.0/keys`, { ca: sb.caCert });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
  });
});
