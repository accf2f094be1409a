import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { applyMigrations } from "@/lib/db/migrate";
import { databaseUrl } from "@/lib/db/database-url";
import { ADMIN, configure, REDIRECT_URI, SandboxBrowser, startTestSandbox } from "../../test/support/sandbox-oauth";
import type { RunningSandbox } from "@mail-connect/m365-sandbox";
import { SEED_APP, SEED_USERS } from "@mail-connect/m365-sandbox";

/** Authorize → sandbox sign-in → callback, through real MSAL against the in-process sandbox. */
let sandbox: RunningSandbox;
let db: typeof import("@/lib/db/client").db;
let startAuthorization: typeof import("@/lib/microsoft/authorize-url").startAuthorization;
let completeAuthorization: typeof import("@/lib/microsoft/callback").completeAuthorization;
let readStateResult: typeof import("@/lib/microsoft/oauth-state").readStateResult;

const mailer = { login: SEED_USERS.mailer.email, password: SEED_USERS.mailer.password };
const other = { login: SEED_USERS.other.email, password: SEED_USERS.other.password };

beforeAll(async () => {
  await applyMigrations(databaseUrl());
  sandbox = await startTestSandbox();
  ({ db } = await import("@/lib/db/client"));
  ({ startAuthorization } = await import("@/lib/microsoft/authorize-url"));
  ({ completeAuthorization } = await import("@/lib/microsoft/callback"));
  ({ readStateResult } = await import("@/lib/microsoft/oauth-state"));
  await configure(sandbox);
});
afterAll(async () => {
  await sandbox?.stop();
});
beforeEach(async () => {
  await sandbox.control.clearSessions();
});

async function begin(role: "smtp" | "imap" = "smtp", acceptAccount: string | null = null): Promise<URL> {
  const start = await startAuthorization(role, ADMIN, acceptAccount);
  if (!("url" in start)) throw new Error(`not ready: ${start.blockers.join(" ")}`);
  return new URL(start.url);
}

async function resultOf(location: string) {
  const id = new URL(location, "https://x").searchParams.get("oauth");
  expect(id, location).toBeTruthy();
  return readStateResult<import("@/lib/microsoft/callback-result").CallbackResult>(id!, ADMIN.id);
}

describe("authorization URL", () => {
  it("asks for the Outlook scopes with select_account, the login hint, PKCE S256, and stores the state only hashed", async () => {
    const url = await begin("smtp");
    const q = url.searchParams;
    expect(url.origin + url.pathname).toBe(
      `${sandbox.authorityOrigin}/7d1c5e0a-3b8f-4c2e-9a6d-51f0c2b4e8a7/oauth2/v2.0/authorize`,
    );
    expect(q.get("redirect_uri")).toBe(REDIRECT_URI);
    expect(q.get("prompt")).toBe("select_account");
    expect(q.get("login_hint")).toBe("mailer@contoso.test");
    expect(q.get("code_challenge_method")).toBe("S256");
    expect(q.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get("response_mode")).toBe("query");
    expect(q.get("scope")!.split(" ").sort()).toEqual([
      "email",
      "https://outlook.office.com/SMTP.Send",
      "offline_access",
      "openid",
      "profile",
    ]);
    const state = q.get("state")!;
    expect(state.length).toBeGreaterThanOrEqual(43);
    const rows = await db.oAuthState.findMany();
    expect(rows.some((r) => r.stateHash === state || r.verifierEnc.includes(state))).toBe(false);
    const row = rows.find((r) => r.nonce === q.get("nonce"))!;
    expect(row.expiresAt.getTime() - Date.now()).toBeGreaterThan(9 * 60_000);
    expect(row.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(10 * 60_000);
    expect(row.roles).toBe("smtp");
  });

  it("covers both roles with one authorization when the same account serves both", async () => {
    await configure(sandbox, { imapUser: "mailer@contoso.test" });
    try {
      const url = await begin("imap");
      expect(url.searchParams.get("scope")!.split(" ")).toEqual(
        expect.arrayContaining([
          "https://outlook.office.com/SMTP.Send",
          "https://outlook.office.com/IMAP.AccessAsUser.All",
        ]),
      );
    } finally {
      await configure(sandbox, { imapUser: "approvals@contoso.test" });
    }
  });
});

describe("callback", () => {
  it("connects the right user; the cache is stored encrypted; a replay of the same response is refused", async () => {
    const browser = new SandboxBrowser(sandbox);
    const back = await browser.authorize((await begin("smtp")).toString(), mailer);
    expect(back.origin + back.pathname).toBe(REDIRECT_URI);
    const location = await completeAuthorization(back.searchParams, ADMIN);
    const result = await resultOf(location);
    expect(result).toMatchObject({ kind: "connected", username: "mailer@contoso.test", roles: ["smtp"], alias: false });
    const conn = await db.oAuthConnection.findUniqueOrThrow({ where: { account: "mailer@contoso.test" } });
    expect(conn.status).toBe("connected");
    expect(conn.authorizedBy).toBe(ADMIN.email);
    expect(conn.scopes).toContain("https://outlook.office.com/SMTP.Send");
    expect(conn.cacheEnc).toMatch(/^v2\.[0-9a-f]{8}\./);
    expect(conn.cacheEnc).not.toMatch(/RefreshToken|secret|eyJ/);
    const audit = await db.auditEvent.findFirst({
      where: { action: "microsoft.authorized" },
      orderBy: { createdAt: "desc" },
    });
    expect(audit?.target).toBe("mailer@contoso.test");

    const replay = await completeAuthorization(back.searchParams, ADMIN);
    expect(replay).toContain("oauth_error=state_used");
  });

  it("refuses another user signed in through SSO, keeps the previous connection, then accepts the right user", async () => {
    const before = await db.oAuthConnection.findUniqueOrThrow({ where: { account: "mailer@contoso.test" } });
    const browser = new SandboxBrowser(sandbox);
    // The browser is signed in to Microsoft as other@ (SSO): the picker offers only that account.
    await browser.authorize((await begin("smtp")).toString(), other);
    const trap = await browser.authorize((await begin("smtp")).toString(), { pick: SEED_USERS.other.email });
    const result = await resultOf(await completeAuthorization(trap.searchParams, ADMIN));
    expect(result).toMatchObject({
      kind: "wrong_user",
      signedInAs: "other@contoso.test",
      expected: "mailer@contoso.test",
    });
    expect(result && "logoutUrl" in result && result.logoutUrl).toBe(
      `${sandbox.authorityOrigin}/7d1c5e0a-3b8f-4c2e-9a6d-51f0c2b4e8a7/oauth2/v2.0/logout`,
    );
    const after = await db.oAuthConnection.findUniqueOrThrow({ where: { account: "mailer@contoso.test" } });
    expect(after.cacheEnc).toBe(before.cacheEnc);
    expect(after.version).toBe(before.version);
    expect(await db.oAuthConnection.count({ where: { account: "other@contoso.test" } })).toBe(0);

    // "Use this account anyway" is an explicit confirmation carried by a new state, never implied.
    const aliasBack = await browser.authorize((await begin("smtp", "other@contoso.test")).toString(), {
      pick: SEED_USERS.other.email,
    });
    const alias = await resultOf(await completeAuthorization(aliasBack.searchParams, ADMIN));
    expect(alias).toMatchObject({
      kind: "connected",
      username: "other@contoso.test",
      expected: "mailer@contoso.test",
      alias: true,
    });

    const fresh = new SandboxBrowser(sandbox);
    const right = await fresh.authorize((await begin("smtp")).toString(), mailer);
    expect(await resultOf(await completeAuthorization(right.searchParams, ADMIN))).toMatchObject({
      kind: "connected",
      username: "mailer@contoso.test",
      alias: false,
    });
  });

  it("refuses a tampered, an expired, and another session's state without changing anything", async () => {
    const before = await db.oAuthConnection.findUniqueOrThrow({ where: { account: "mailer@contoso.test" } });
    const browser = new SandboxBrowser(sandbox);

    const back = await browser.authorize((await begin("smtp")).toString(), mailer);
    const tampered = new URLSearchParams(back.searchParams);
    tampered.set("state", `${back.searchParams.get("state")!.slice(0, -2)}xx`);
    expect(await completeAuthorization(tampered, ADMIN)).toContain("oauth_error=state_unknown");
    const missing = new URLSearchParams(back.searchParams);
    missing.delete("state");
    expect(await completeAuthorization(missing, ADMIN)).toContain("oauth_error=state_missing");

    // Another admin session cannot use (or burn) this admin's state.
    expect(await completeAuthorization(back.searchParams, { ...ADMIN, sessionId: "another-session" })).toContain(
      "oauth_error=state_other_session",
    );
    expect(await completeAuthorization(back.searchParams, { ...ADMIN, id: "admin-2" })).toContain(
      "oauth_error=state_other_session",
    );

    // Expired: more than 10 minutes between Authorize and the callback.
    const late = await browser.authorize((await begin("smtp")).toString(), mailer);
    await db.oAuthState.updateMany({ where: { usedAt: null }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await completeAuthorization(late.searchParams, ADMIN)).toContain("oauth_error=state_expired");

    const after = await db.oAuthConnection.findUniqueOrThrow({ where: { account: "mailer@contoso.test" } });
    expect(after.version).toBe(before.version);
    expect(after.cacheEnc).toBe(before.cacheEnc);
  });

  it("translates Microsoft's error redirects: cancel (access_denied) and missing consent (AADSTS65001)", async () => {
    const browser = new SandboxBrowser(sandbox);
    const cancelled = await browser.authorize((await begin("smtp")).toString(), { cancel: true });
    expect(cancelled.searchParams.get("error")).toBe("access_denied");
    const r1 = await resultOf(await completeAuthorization(cancelled.searchParams, ADMIN));
    expect(r1).toMatchObject({ kind: "microsoft_error", error: { code: "AADSTS65004" } });

    await sandbox.control.updateApp(SEED_APP.clientId, { consentGranted: false, userConsentAllowed: false });
    try {
      const denied = await browser.authorize((await begin("smtp")).toString(), mailer);
      const r2 = await resultOf(await completeAuthorization(denied.searchParams, ADMIN));
      expect(r2).toMatchObject({ kind: "microsoft_error", error: { code: "AADSTS65001", needsReauth: true } });
      if (r2?.kind !== "microsoft_error") throw new Error("expected an error");
      expect(r2.error.link?.href).toBe(
        `${sandbox.authorityOrigin}/7d1c5e0a-3b8f-4c2e-9a6d-51f0c2b4e8a7/adminconsent?client_id=${SEED_APP.clientId}&redirect_uri=${encodeURIComponent(REDIRECT_URI)}`,
      );
    } finally {
      await sandbox.control.updateApp(SEED_APP.clientId, { consentGranted: true, userConsentAllowed: true });
    }
  });

  it("reports a wrong client secret (the secret ID, AADSTS7000215) and an expired one (AADSTS7000222) without storing anything", async () => {
    const before = await db.oAuthConnection.findUniqueOrThrow({ where: { account: "mailer@contoso.test" } });
    const browser = new SandboxBrowser(sandbox);
    await configure(sandbox, { msClientSecret: "not-the-right-secret-value" });
    try {
      const back = await browser.authorize((await begin("smtp")).toString(), mailer);
      const r = await resultOf(await completeAuthorization(back.searchParams, ADMIN));
      expect(r).toMatchObject({ kind: "microsoft_error", error: { code: "AADSTS7000215" } });
      if (r?.kind === "microsoft_error") expect(r.error.fix).toMatch(/Value, not its Secret ID/);
    } finally {
      await configure(sandbox, { msClientSecret: SEED_APP.secretValue });
    }
    const expiredApp = await sandbox.control.registerApp({
      redirectUris: [REDIRECT_URI],
      secretValue: "expired~secret-value-000000000000",
      secretExpiresAt: new Date(Date.now() - 86_400_000).toISOString(),
    });
    await configure(sandbox, { msClientId: expiredApp.clientId, msClientSecret: expiredApp.secretValue });
    try {
      const back = await browser.authorize((await begin("smtp")).toString(), mailer);
      const r = await resultOf(await completeAuthorization(back.searchParams, ADMIN));
      expect(r).toMatchObject({ kind: "microsoft_error", error: { code: "AADSTS7000222" } });
    } finally {
      await configure(sandbox, { msClientId: SEED_APP.clientId, msClientSecret: SEED_APP.secretValue });
    }
    const after = await db.oAuthConnection.findUniqueOrThrow({ where: { account: "mailer@contoso.test" } });
    expect(after.cacheEnc).toBe(before.cacheEnc);
  });
});
