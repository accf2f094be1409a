import { afterAll, beforeAll, beforeEach } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfidentialClientApplication, CryptoProvider, type AuthenticationResult } from "@azure/msal-node";
import { sandboxNetworkClient } from "./network";
import { SEED_APP, SEED_TENANT } from "./seed";
import { startSandbox, type RunningSandbox } from "./start";
import { completeAuthorize, CookieJar, type AuthorizeUser } from "./testing";

/** Shared set-up for the sandbox's own tests: a sandbox in a temporary data directory, and MSAL against it. */

export const TEST_REDIRECT_URI = "https://localhost:3999/flexdeploy/rest/v2/oauth";
export const MAIL_SCOPES = ["https://outlook.office.com/SMTP.Send", "https://outlook.office.com/IMAP.AccessAsUser.All"];

export async function startTestSandbox(): Promise<RunningSandbox & { cleanup(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), "m365-sandbox-test-"));
  const sandbox = await startSandbox({ dataDir: dir, appRedirectUris: [TEST_REDIRECT_URI] });
  return {
    ...sandbox,
    async cleanup() {
      await sandbox.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface MsalOptions {
  clientId?: string;
  clientSecret?: string;
  tenant?: string;
}

export function msalFor(sandbox: RunningSandbox, options: MsalOptions = {}): ConfidentialClientApplication {
  return new ConfidentialClientApplication({
    auth: {
      clientId: options.clientId ?? SEED_APP.clientId,
      clientSecret: options.clientSecret ?? SEED_APP.secretValue,
      authority: `${sandbox.authorityOrigin}/${options.tenant ?? SEED_TENANT.id}`,
      knownAuthorities: [sandbox.authorityHost],
    },
    system: { networkClient: sandboxNetworkClient(sandbox.caCert) },
  });
}

export interface SignInResult {
  result: AuthenticationResult;
  redirect: URL;
  pages: string[];
}

/** The app's journey: getAuthCodeUrl (PKCE, select_account + login_hint) → pages → acquireTokenByCode. */
export async function signInWithMsal(
  sandbox: RunningSandbox,
  msal: ConfidentialClientApplication,
  user: AuthorizeUser,
  options: {
    jar?: CookieJar;
    prompt?: string;
    loginHint?: string;
    scopes?: string[];
    redirectUri?: string;
    /** Other resources' scopes to consent to at the same time (MSAL `extraScopesToConsent`). */
    extraScopesToConsent?: string[];
  } = {},
): Promise<SignInResult> {
  const pkce = await new CryptoProvider().generatePkceCodes();
  const scopes = options.scopes ?? MAIL_SCOPES;
  const redirectUri = options.redirectUri ?? TEST_REDIRECT_URI;
  const url = await msal.getAuthCodeUrl({
    scopes,
    redirectUri,
    state: "state-123",
    nonce: "nonce-456",
    prompt: options.prompt,
    extraScopesToConsent: options.extraScopesToConsent,
    codeChallenge: pkce.challenge,
    codeChallengeMethod: "S256",
    extraQueryParameters: options.loginHint ? { login_hint: options.loginHint } : undefined,
  });
  const outcome = await completeAuthorize(url, { ca: sandbox.caCert, jar: options.jar ?? new CookieJar(), user });
  const code = outcome.redirect.searchParams.get("code");
  if (!code) throw new Error(`no code: ${outcome.redirect.toString()}`);
  const result = await msal.acquireTokenByCode(
    { code, scopes, redirectUri, codeVerifier: pkce.verifier, state: "state-123", nonce: "nonce-456" },
    {
      code,
      state: outcome.redirect.searchParams.get("state") ?? undefined,
      client_info: outcome.redirect.searchParams.get("client_info") ?? undefined,
    },
  );
  return { result, redirect: outcome.redirect, pages: outcome.pages };
}

export type TestSandbox = Awaited<ReturnType<typeof startTestSandbox>>;

/**
 * The hooks every sandbox test file needs: one sandbox for the file, reset to the seed before each
 * test, stopped at the end. `onStart` receives it (tests keep it in a local variable).
 */
export function useTestSandbox(onStart: (sandbox: TestSandbox) => void): void {
  let sandbox: TestSandbox | undefined;
  beforeAll(async () => {
    sandbox = await startTestSandbox();
    onStart(sandbox);
  });
  afterAll(async () => {
    await sandbox?.cleanup();
  });
  beforeEach(async () => {
    await sandbox!.control.reset({ appRedirectUris: [TEST_REDIRECT_URI] });
  });
}
