import { beforeAll, describe, expect, it } from "vitest";
import { applyMigrations } from "@/lib/db/migrate";
import { databaseUrl } from "@/lib/db/database-url";

/** Issue 12: the administrators' repository rules (last admin, invitation expiry, single use, races). */

let db: typeof import("@/lib/db/client").db;
let accounts: typeof import("@/lib/auth/admin-accounts");
let directory: typeof import("@/lib/admins/admin-directory");
let invitations: typeof import("@/lib/admins/invitations");
let auth: typeof import("@/lib/auth/auth").auth;
let first: { id: string; email: string };

const HOST = "mail.contoso.test";
const PASSWORD = "a-long-admin-password-1";

async function signIn(email: string, password = PASSWORD): Promise<number> {
  const res = await auth.api.signInEmail({
    body: { email, password },
    headers: new Headers({ host: HOST, origin: `https://${HOST}` }),
    asResponse: true,
  });
  return res.status;
}

beforeAll(async () => {
  await applyMigrations(databaseUrl());
  ({ db } = await import("@/lib/db/client"));
  accounts = await import("@/lib/auth/admin-accounts");
  directory = await import("@/lib/admins/admin-directory");
  invitations = await import("@/lib/admins/invitations");
  ({ auth } = await import("@/lib/auth/auth"));
  first = await accounts.createAdmin({ name: "First", email: "first@contoso.test", password: PASSWORD });
});

describe("removing administrators", () => {
  it("never removes the last one", async () => {
    await expect(directory.removeAdmin(first.id)).rejects.toThrow(/last administrator cannot be removed/);
    expect(await db.user.count()).toBe(1);
  });

  it("removes another one and ends their sessions", async () => {
    const other = await accounts.createAdmin({
      name: "Other",
      email: "other@contoso.test",
      password: PASSWORD,
      createdBy: first,
    });
    expect(await signIn(other.email)).toBe(200);
    expect(await db.session.count({ where: { userId: other.id } })).toBe(1);
    expect((await directory.listAdmins()).find((a) => a.id === other.id)).toMatchObject({
      createdByEmail: first.email,
      twoFactor: false,
      lastSignInAt: expect.any(Date),
    });
    expect(await directory.removeAdmin(other.id)).toBe(other.email);
    expect(await db.session.count({ where: { userId: other.id } })).toBe(0);
    expect(await db.account.count({ where: { userId: other.id } })).toBe(0);
    expect(await signIn(other.email)).toBe(401);
  });

  it("two removals at once never leave zero administrators", async () => {
    const second = await accounts.createAdmin({ name: "Second", email: "second@contoso.test", password: PASSWORD });
    const results = await Promise.allSettled([directory.removeAdmin(first.id), directory.removeAdmin(second.id)]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(String(refused.reason)).toMatch(/last administrator/);
    expect(await db.user.count()).toBe(1);
    first = (await db.user.findFirstOrThrow({ select: { id: true, email: true } })) as typeof first;
  });
});

describe("invitations", () => {
  it("stores only a hash of the token, and the link works once", async () => {
    const { token } = await invitations.createInvitation("new@contoso.test", first);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const row = await db.adminInvitation.findFirstOrThrow({ where: { email: "new@contoso.test", revokedAt: null } });
    expect(row.tokenHash).not.toContain(token);
    expect(JSON.stringify(await db.adminInvitation.findMany())).not.toContain(token);
    expect(await invitations.findUsableInvitation(token)).toMatchObject({ email: "new@contoso.test" });
    expect(await invitations.claimInvitation(token)).toMatchObject({ email: "new@contoso.test" });
    expect(await invitations.claimInvitation(token)).toBeNull();
    expect(await invitations.findUsableInvitation(token)).toBeNull();
  });

  it("expires after 72 hours", async () => {
    const start = new Date("2026-12-02T10:00:00Z");
    const { token, expiresAt } = await invitations.createInvitation("later@contoso.test", first, start);
    expect(expiresAt.getTime() - start.getTime()).toBe(72 * 3600 * 1000);
    const justBefore = new Date(expiresAt.getTime() - 1000);
    expect(await invitations.findUsableInvitation(token, justBefore)).not.toBeNull();
    expect(await invitations.claimInvitation(token, expiresAt)).toBeNull();
    expect(await invitations.claimInvitation(token, justBefore)).not.toBeNull();
  });

  it("two acceptances at once: exactly one wins", async () => {
    const { token } = await invitations.createInvitation("race@contoso.test", first);
    const results = await Promise.all(Array.from({ length: 5 }, () => invitations.claimInvitation(token)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it("a revoked link no longer works, and a new invitation replaces the older one", async () => {
    const a = await invitations.createInvitation("twice@contoso.test", first);
    const b = await invitations.createInvitation("twice@contoso.test", first);
    expect(await invitations.findUsableInvitation(a.token)).toBeNull();
    expect((await invitations.pendingInvitations()).map((p) => p.id)).toContain(b.id);
    expect(await invitations.revokeInvitation(b.id)).toBe("twice@contoso.test");
    expect(await invitations.revokeInvitation(b.id)).toBeNull();
    expect(await invitations.claimInvitation(b.token)).toBeNull();
    expect((await invitations.pendingInvitations()).map((p) => p.id)).not.toContain(b.id);
  });

  it("refuses an address that is already an administrator, and malformed tokens", async () => {
    await expect(invitations.createInvitation(first.email, first)).rejects.toThrow(/already an administrator/);
    for (const token of ["", "x", "a".repeat(43).replace(/.$/, "!"), "../../etc/passwd"]) {
      expect(await invitations.findUsableInvitation(token)).toBeNull();
    }
  });
});

describe("passwords set by another administrator", () => {
  it("a reset ends the admin's sessions and requires a change at the next sign-in", async () => {
    const reset = await accounts.createAdmin({ name: "Reset", email: "reset@contoso.test", password: PASSWORD });
    expect(await signIn(reset.email)).toBe(200);
    await accounts.resetAdminPassword(reset.email, "another-long-password-2", { mustChangePassword: true });
    expect(await db.session.count({ where: { userId: reset.id } })).toBe(0);
    expect((await db.user.findUniqueOrThrow({ where: { id: reset.id } })).mustChangePassword).toBe(true);
    expect(await signIn(reset.email)).toBe(401);
    expect(await signIn(reset.email, "another-long-password-2")).toBe(200);
  });
});
