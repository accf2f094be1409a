import { beforeAll, describe, expect, it } from "vitest";
import * as OTPAuth from "otpauth";
import { applyMigrations } from "@/lib/db/migrate";
import { databaseUrl } from "@/lib/db/database-url";
import { CLIENT_IP_HEADER } from "@/lib/auth/client-ip";

/**
 * The sign-in path through the auth library's HTTP handler (as the browser reaches it): per-account
 * backoff with its equal answer for unknown accounts, the two-factor step with a code and a backup
 * code, and the session limits checked by the guard's session read.
 */
let auth: typeof import("@/lib/auth/auth").auth;
let createAdmin: typeof import("@/lib/auth/admin-accounts").createAdmin;
let currentSession: typeof import("@/lib/auth/session").currentSession;
let db: typeof import("@/lib/db/client").db;
let passwordChanged: typeof import("@/lib/auth/password-change-required").passwordChanged;

const ORIGIN = "https://localhost:3443";
const PASSWORD = "integration-password-1";
let addressCounter = 0;

beforeAll(async () => {
  await applyMigrations(databaseUrl());
  ({ auth } = await import("@/lib/auth/auth"));
  ({ createAdmin } = await import("@/lib/auth/admin-accounts"));
  ({ currentSession } = await import("@/lib/auth/session"));
  ({ db } = await import("@/lib/db/client"));
  ({ passwordChanged } = await import("@/lib/auth/password-change-required"));
});

/** A fresh client address per request, so that the per-address limit never answers before the per-account one. */
function post(path: string, body: unknown, cookies = ""): Promise<Response> {
  addressCounter++;
  return auth.handler(
    new Request(`${ORIGIN}/api/auth${path}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        origin: ORIGIN,
        cookie: cookies,
        "user-agent": "integration-test",
        [CLIENT_IP_HEADER]: `198.51.100.${addressCounter % 250}`,
      },
      body: JSON.stringify(body),
    }),
  );
}

/** The response's cookies as a Cookie header (name=value pairs; deleted ones dropped). */
function cookiesOf(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .filter((pair) => !pair.endsWith("="))
    .join("; ");
}

async function answer(response: Response) {
  return { status: response.status, body: await response.text() };
}

async function events(action: string, target: string) {
  return db.auditEvent.findMany({ where: { action, target } });
}

describe("per-account sign-in backoff", () => {
  it("after 5 failures refuses even the right password, exactly like a wrong one and like an unknown account", async () => {
    const known = "backoff-known@contoso.test";
    const unknown = "backoff-unknown@contoso.test";
    await createAdmin({ name: "Known", email: known, password: PASSWORD });

    const wrong = await answer(await post("/sign-in/email", { email: known, password: "wrong-password-0" }));
    expect(wrong.status).toBe(401);
    for (let i = 1; i < 5; i++) {
      expect(await answer(await post("/sign-in/email", { email: known, password: `wrong-password-${i}` }))).toEqual(
        wrong,
      );
      expect(await answer(await post("/sign-in/email", { email: unknown, password: `wrong-password-${i}` }))).toEqual(
        wrong,
      );
    }
    expect(await answer(await post("/sign-in/email", { email: unknown, password: "wrong-password-5" }))).toEqual(wrong);
    // 5 failures each: the right password now waits, answered as a wrong one; the unknown account the same.
    expect(await answer(await post("/sign-in/email", { email: known, password: PASSWORD }))).toEqual(wrong);
    expect(
      await answer(await post("/sign-in/email", { email: ` ${unknown.toUpperCase()}`, password: PASSWORD })),
    ).toEqual(wrong);
    expect((await events("auth.sign_in_throttled", known)).length).toBe(1);
    expect((await events("auth.sign_in_throttled", unknown)).length).toBe(1);
    expect((await events("auth.sign_in_failed", unknown)).length).toBe(5);

    // The wait ends (never permanent): 31 s later the right password signs in and clears the count.
    await db.signInBackoff.updateMany({ data: { lastFailureAt: new Date(Date.now() - 31_000) } });
    const ok = await post("/sign-in/email", { email: known, password: PASSWORD });
    expect(ok.status).toBe(200);
    expect(await db.signInBackoff.count()).toBe(1); // only the unknown account's failures remain
    const signedIn = await events("auth.signed_in", known);
    expect(signedIn.length).toBe(1);
    expect(JSON.parse(signedIn[0].details ?? "{}")).toMatchObject({
      userAgent: "integration-test",
      method: "password",
    });
  });
});

describe("two-factor sign-in", () => {
  const email = "two-factor@contoso.test";
  let totp: OTPAuth.TOTP;
  let backupCodes: string[];

  beforeAll(async () => {
    await createAdmin({ name: "Two Factor", email, password: PASSWORD });
    const signIn = await post("/sign-in/email", { email, password: PASSWORD });
    const headers = new Headers({ cookie: cookiesOf(signIn), origin: ORIGIN });
    const enabled = await auth.api.enableTwoFactor({ body: { password: PASSWORD, method: "totp" }, headers });
    if (enabled.method !== "totp") throw new Error("no TOTP secret");
    expect(new URL(enabled.totpURI).searchParams.get("issuer")).toBe("Mail Connect");
    expect(enabled.backupCodes).toHaveLength(10);
    backupCodes = enabled.backupCodes;
    totp = OTPAuth.URI.parse(enabled.totpURI) as OTPAuth.TOTP;
    await auth.api.verifyTOTP({ body: { code: totp.generate() }, headers });
    expect((await db.user.findUnique({ where: { email } }))?.twoFactorEnabled).toBe(true);
  });

  async function passwordStep(): Promise<string> {
    const res = await post("/sign-in/email", { email, password: PASSWORD });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ twoFactorRedirect: true });
    expect(res.headers.getSetCookie().some((c) => /session_token=[^;]/.test(c))).toBe(false);
    return cookiesOf(res);
  }

  it("asks for the code after the password; a wrong code is refused and audited, the right one signs in", async () => {
    const pending = await passwordStep();
    const bad = await post("/two-factor/verify-totp", { code: "000000" }, pending);
    expect(bad.status).toBe(401);
    expect((await events("auth.two_factor_failed", email)).length).toBe(1);
    const good = await post("/two-factor/verify-totp", { code: totp.generate() }, pending);
    expect(good.status).toBe(200);
    expect(good.headers.getSetCookie().some((c) => /session_token=[^;]/.test(c))).toBe(true);
    const signedIn = await events("auth.signed_in", email);
    expect(signedIn.map((e) => JSON.parse(e.details ?? "{}").method)).toContain("password and authenticator code");
  });

  it("never trusts the device: the next sign-in asks for the code again", async () => {
    const res = await post(
      "/two-factor/verify-totp",
      { code: totp.generate(), trustDevice: true },
      await passwordStep(),
    );
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie().some((c) => /trust_device=[^;]/.test(c))).toBe(false);
    await passwordStep(); // still asks (it checks twoFactorRedirect)
  });

  it("a backup code works once", async () => {
    const first = await post("/two-factor/verify-backup-code", { code: backupCodes[0] }, await passwordStep());
    expect(first.status).toBe(200);
    const again = await post("/two-factor/verify-backup-code", { code: backupCodes[0] }, await passwordStep());
    expect(again.status).toBe(401);
  });
});

describe("session limits (the guard's session read)", () => {
  async function signedIn(email: string, mustChangePassword = false) {
    await createAdmin({ name: "Limits", email, password: PASSWORD, mustChangePassword });
    const res = await post("/sign-in/email", { email, password: PASSWORD });
    return new Headers({ cookie: cookiesOf(res) });
  }

  it("reads whether the password must be changed with the session, from the row at every request", async () => {
    const headers = await signedIn("forced@contoso.test", true);
    const first = await currentSession(headers);
    expect(first.admin?.mustChangePassword).toBe(true);
    await passwordChanged(first.admin!.id);
    expect((await currentSession(headers)).admin?.mustChangePassword).toBe(false);
    await db.user.update({ where: { id: first.admin!.id }, data: { mustChangePassword: true } }); // a reset
    expect((await currentSession(headers)).admin?.mustChangePassword).toBe(true);
  });

  it("records activity, then ends and deletes a session idle for 30 minutes (audited)", async () => {
    const headers = await signedIn("idle@contoso.test");
    const state = await currentSession(headers);
    expect(state.admin?.email).toBe("idle@contoso.test");
    const row = await db.session.findUniqueOrThrow({ where: { id: state.admin!.sessionId } });
    expect(row.lastActiveAt).not.toBeNull();
    await db.session.update({ where: { id: row.id }, data: { lastActiveAt: new Date(Date.now() - 31 * 60_000) } });
    expect(await currentSession(headers)).toEqual({ admin: null, ended: "idle" });
    expect(await db.session.findUnique({ where: { id: row.id } })).toBeNull();
    expect((await events("auth.session_expired", "idle@contoso.test")).length).toBe(1);
  });

  it("ends a session 12 hours after sign-in even while active", async () => {
    const headers = await signedIn("absolute@contoso.test");
    const state = await currentSession(headers);
    await db.session.update({
      where: { id: state.admin!.sessionId },
      data: { createdAt: new Date(Date.now() - 12 * 60 * 60_000 - 1000), lastActiveAt: new Date() },
    });
    expect(await currentSession(headers)).toEqual({ admin: null, ended: "absolute" });
  });
});
