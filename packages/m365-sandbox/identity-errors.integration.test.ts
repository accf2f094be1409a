import { CryptoProvider, InteractionRequiredAuthError, type AccountInfo } from "@azure/msal-node";
import { describe, expect, it } from "vitest";
import { MAIL_SCOPES, msalFor, signInWithMsal, TEST_REDIRECT_URI, type TestSandbox, useTestSandbox } from "./fixture";
import { SEED_APP, SEED_TENANT, SEED_USERS } from "./seed";
import { completeAuthorize, CookieJar, httpsRequest, parsePage } from "./testing";

/**
 * Conditional Access and a disabled app, the way the token and authorize endpoints answer them
 * (AADSTS53003, 50076, 50079, 70043, 7000112), the reply-address mismatch at code redemption
 * (AADSTS500112), a disabled user (50057) and a user of another tenant (50020): each in Microsoft's
 * error shape, switched on through the control API.
 */
let sb: TestSandbox;
useTestSandbox((started) => {
  sb = started;
});

const mailer = { email: SEED_USERS.mailer.email, password: SEED_USERS.mailer.password };
const SCOPE = `${MAIL_SCOPES.join(" ")} offline_access openid profile`;

function authorizeUrl(params: Record<string, string> = {}): string {
  const q = new URLSearchParams({
    client_id: SEED_APP.clientId,
    response_type: "code",
    redirect_uri: TEST_REDIRECT_URI,
    scope: SCOPE,
    state: "s1",
    ...params,
  });
  return `${sb.authorityOrigin}/${SEED_TENANT.id}/oauth2/v2.0/authorize?${q}`;
}

type TokenAnswer = { status: number; body: Record<string, unknown> };

async function token(form: Record<string, string>): Promise<TokenAnswer> {
  const res = await httpsRequest(`${sb.authorityOrigin}/${SEED_TENANT.id}/oauth2/v2.0/token`, {
    ca: sb.caCert,
    method: "POST",
    form: { client_id: SEED_APP.clientId, client_secret: SEED_APP.secretValue, ...form },
  });
  return { status: res.status, body: JSON.parse(res.body) as Record<string, unknown> };
}

/** A sign-in through the pages and its code redeemed: the raw answer (refresh token included). */
async function signIn(redeemWith = TEST_REDIRECT_URI, beforeRedeem?: () => Promise<unknown>): Promise<TokenAnswer> {
  const pkce = await new CryptoProvider().generatePkceCodes();
  const out = await completeAuthorize(authorizeUrl({ code_challenge: pkce.challenge, code_challenge_method: "S256" }), {
    ca: sb.caCert,
    jar: new CookieJar(),
    user: mailer,
  });
  const code = out.redirect.searchParams.get("code");
  if (!code) throw new Error(`no code: ${out.redirect}`);
  await beforeRedeem?.();
  return token({
    grant_type: "authorization_code",
    code,
    redirect_uri: redeemWith,
    code_verifier: pkce.verifier,
    scope: SCOPE,
  });
}

function refresh(refreshToken: unknown): Promise<TokenAnswer> {
  return token({ grant_type: "refresh_token", refresh_token: String(refreshToken), scope: SCOPE });
}

/** Microsoft's error body: the code in the description and in error_codes, trace and correlation ids, timestamps. */
function expectAadError(answer: TokenAnswer, error: string, code: number, text: RegExp, suberror?: string): void {
  expect(answer.status).toBe(400);
  expect(answer.body).toMatchObject({ error, error_codes: [code] });
  if (suberror) expect(answer.body.suberror).toBe(suberror);
  const description = String(answer.body.error_description);
  expect(description).toMatch(new RegExp(`^AADSTS${code}: `));
  expect(description).toMatch(text);
  expect(description).toMatch(
    /\r\nTrace ID: [0-9a-f-]{36}\r\nCorrelation ID: [0-9a-f-]{36}\r\nTimestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/,
  );
  expect(answer.body.trace_id).toMatch(/^[0-9a-f-]{36}$/);
  expect(answer.body.timestamp).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
}

describe("Conditional Access at the token endpoint", () => {
  it("AADSTS53003 when a policy blocks token issuance: refresh, code redemption and the authorize redirect; lifted, tokens again", async () => {
    const first = await signIn();
    await sb.control.setConditionalAccess({ block: true });
    expectAadError(
      await refresh(first.body.refresh_token),
      "invalid_grant",
      53003,
      /Access has been blocked by Conditional Access policies\. The access policy does not allow token issuance\./,
      "message_only",
    );
    await sb.control.setConditionalAccess({});
    // a block that starts between the sign-in and the code redemption
    const redeemed = await signIn(TEST_REDIRECT_URI, () => sb.control.setConditionalAccess({ block: true }));
    expectAadError(redeemed, "invalid_grant", 53003, /blocked by Conditional Access/, "message_only");
    await sb.control.setConditionalAccess({});
    expect((await refresh(first.body.refresh_token)).status).toBe(200);
  });

  it("AADSTS53003 at the authorize endpoint: after the sign-in the browser goes back with error=access_denied, no code", async () => {
    await sb.control.setConditionalAccess({ block: true, users: [mailer.email] });
    const out = await completeAuthorize(authorizeUrl(), { ca: sb.caCert, jar: new CookieJar(), user: mailer });
    expect(out.redirect.searchParams.get("code")).toBeNull();
    expect(out.redirect.searchParams.get("error")).toBe("access_denied");
    expect(out.redirect.searchParams.get("error_description")).toMatch(/^AADSTS53003: Access has been blocked/);
    // Another user is not covered by the policy.
    const other = await completeAuthorize(authorizeUrl(), {
      ca: sb.caCert,
      jar: new CookieJar(),
      user: { email: SEED_USERS.other.email, password: SEED_USERS.other.password },
    });
    expect(other.redirect.searchParams.get("code")).toBeTruthy();
  });

  it("AADSTS50076 (MFA required) and 50079 (MFA registration required) for refresh tokens of earlier sign-ins; a new sign-in passes", async () => {
    const before = await signIn();
    await sb.control.setConditionalAccess({ requireMfa: 50076 });
    expectAadError(
      await refresh(before.body.refresh_token),
      "invalid_grant",
      50076,
      /you must use multi-factor authentication to access '00000002-0000-0ff1-ce00-000000000000'\./,
      "basic_action",
    );
    const after = await signIn();
    expect(after.status).toBe(200);
    expect((await refresh(after.body.refresh_token)).status).toBe(200);
    await sb.control.setConditionalAccess({ requireMfa: 50079 });
    expectAadError(
      await refresh(after.body.refresh_token),
      "invalid_grant",
      50079,
      /you must enroll in multi-factor authentication/,
      "basic_action",
    );
  });

  it("MSAL reports 50076 as an interaction-required error (the stored sign-in needs an interactive one)", async () => {
    const msal = msalFor(sb);
    const { result } = await signInWithMsal(sb, msal, mailer);
    await sb.control.setConditionalAccess({ requireMfa: 50076 });
    const err = await msal
      .acquireTokenSilent({ account: result.account as AccountInfo, scopes: MAIL_SCOPES, forceRefresh: true })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InteractionRequiredAuthError);
    expect((err as InteractionRequiredAuthError).errorMessage).toMatch(/^AADSTS50076: /);
  });

  it("AADSTS70043 once the sign-in is older than the sign-in frequency, naming the issue time and the allowed lifetime", async () => {
    const first = await signIn();
    await sb.control.setConditionalAccess({ signInFrequencySeconds: 1 });
    await new Promise((r) => setTimeout(r, 2100));
    const answer = await refresh(first.body.refresh_token);
    expectAadError(
      answer,
      "invalid_grant",
      70043,
      /The refresh token has expired or is invalid due to sign-in frequency checks by conditional access\. The token was issued on \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z and the maximum allowed lifetime for this request is 1\./,
      "token_expired",
    );
  });
});

describe("a disabled application and a reply-address mismatch", () => {
  it("AADSTS7000112 for a disabled app: shown on the sign-in page (no redirect), and at the token endpoint", async () => {
    const first = await signIn();
    await sb.control.setAppEnabled(SEED_APP.clientId, false);
    const page = await httpsRequest(authorizeUrl(), { ca: sb.caCert, jar: new CookieJar() });
    expect(page.status).toBe(400);
    expect(page.location).toBeNull();
    expect(parsePage(page.body)).toEqual({
      kind: "error",
      message: `AADSTS7000112: Application '${SEED_APP.clientId}'(${SEED_APP.displayName}) is disabled.`,
    });
    expectAadError(
      await refresh(first.body.refresh_token),
      "unauthorized_client",
      7000112,
      new RegExp(`Application '${SEED_APP.clientId}'\\(Mail Connect \\(sandbox\\)\\) is disabled\\.`),
    );
    await sb.control.setAppEnabled(SEED_APP.clientId, true);
    expect((await refresh(first.body.refresh_token)).status).toBe(200);
  });

  it("AADSTS500112 when the code is redeemed with another redirect URI than the authorize request's (a rewriting proxy), naming both", async () => {
    const rewritten = "http://app.internal:3000/flexdeploy/rest/v2/oauth";
    expectAadError(
      await signIn(rewritten),
      "invalid_grant",
      500112,
      new RegExp(
        `The reply address '${rewritten}' does not match the reply address '${TEST_REDIRECT_URI}' provided when requesting Authorization code\\.`,
      ),
    );
  });
});

describe("a disabled user and a user of another tenant", () => {
  it("AADSTS50057 for a disabled user: at the token endpoint (refresh), and on the sign-in page", async () => {
    const first = await signIn();
    await sb.control.updateUser(mailer.email, { accountEnabled: false });
    expectAadError(await refresh(first.body.refresh_token), "invalid_grant", 50057, /The user account is disabled\./);
    // the sign-in page refuses it with the same code (the driver stops there)
    const jar = new CookieJar();
    const out = await completeAuthorize(authorizeUrl(), { ca: sb.caCert, jar, user: mailer }).catch((e: Error) => e);
    expect(String(out)).toMatch(/AADSTS50057/);
  });

  it("AADSTS50020 for an account of another tenant signing in to this tenant's app (error page, no redirect)", async () => {
    const fabrikam = await sb.control.addTenant({ domains: ["fabrikam.test"] });
    await sb.control.addUser({ email: "guest@fabrikam.test", password: "Guest-1!", tenantId: fabrikam.id });
    const out = await completeAuthorize(authorizeUrl(), {
      ca: sb.caCert,
      jar: new CookieJar(),
      user: { email: "guest@fabrikam.test", password: "Guest-1!" },
    }).catch((e: Error) => e);
    expect(String(out)).toMatch(
      /AADSTS50020: User account 'guest@fabrikam\.test' from identity provider does not exist in tenant/,
    );
  });
});
