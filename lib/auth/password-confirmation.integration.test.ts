import { beforeAll, describe, expect, it } from "vitest";
import { applyMigrations } from "@/lib/db/migrate";
import { databaseUrl } from "@/lib/db/database-url";
import type { Admin } from "@/lib/auth/session";

/** Issue 11 item 1: re-confirmation of the admin's password, per session, in the database, for 5 minutes. */

let confirmation: typeof import("@/lib/auth/password-confirmation");
let db: typeof import("@/lib/db/client").db;
let admin: Admin;
let cookie: string;

const PASSWORD = "a-long-admin-password-1";
const HOST = "mail.contoso.test";

beforeAll(async () => {
  await applyMigrations(databaseUrl());
  confirmation = await import("@/lib/auth/password-confirmation");
  ({ db } = await import("@/lib/db/client"));
  const { createAdmin } = await import("@/lib/auth/admin-accounts");
  const { auth } = await import("@/lib/auth/auth");
  const { currentAdmin } = await import("@/lib/auth/session");
  await createAdmin({ name: "Admin", email: "admin@contoso.test", password: PASSWORD });
  const signIn = await auth.api.signInEmail({
    body: { email: "admin@contoso.test", password: PASSWORD },
    headers: new Headers({ host: HOST, origin: `https://${HOST}` }),
    asResponse: true,
  });
  expect(signIn.status).toBe(200);
  cookie = signIn.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  admin = (await currentAdmin(headers()))!;
  expect(admin?.email).toBe("admin@contoso.test");
});

const headers = () => new Headers({ host: HOST, cookie });
const minutes = (n: number) => n * 60 * 1000;

describe("the 5-minute window", () => {
  it("a confirmation covers changes for less than 5 minutes, not after (nor from the future)", () => {
    const at = new Date("2026-12-01T10:00:00Z");
    const later = (ms: number) => new Date(at.getTime() + ms);
    expect(confirmation.isConfirmationFresh(at, at)).toBe(true);
    expect(confirmation.isConfirmationFresh(at, later(minutes(5) - 1))).toBe(true);
    expect(confirmation.isConfirmationFresh(at, later(minutes(5)))).toBe(false);
    expect(confirmation.isConfirmationFresh(at, later(-1))).toBe(false);
    expect(confirmation.isConfirmationFresh(null, at)).toBe(false);
  });

  it("signing in counts as a confirmation; 5 minutes later the session must confirm again", async () => {
    const session = await db.session.findUniqueOrThrow({ where: { id: admin.sessionId } });
    expect(await confirmation.confirmedRecently(admin, new Date(session.createdAt.getTime() + minutes(4)))).toBe(true);
    expect(await confirmation.confirmedRecently(admin, new Date(session.createdAt.getTime() + minutes(6)))).toBe(false);
  });

  it("a wrong password is refused and records nothing; the right one is recorded for this session", async () => {
    expect(await confirmation.confirmPassword(admin, "not-the-password", headers())).toBe(false);
    expect(await db.passwordConfirmation.count()).toBe(0);

    expect(await confirmation.confirmPassword(admin, PASSWORD, headers())).toBe(true);
    const row = await db.passwordConfirmation.findUniqueOrThrow({ where: { sessionId: admin.sessionId } });
    expect(Date.now() - row.confirmedAt.getTime()).toBeLessThan(5_000);
    expect(await confirmation.confirmedRecently(admin, new Date(row.confirmedAt.getTime() + minutes(4)))).toBe(true);
    expect(await confirmation.confirmedRecently(admin, new Date(row.confirmedAt.getTime() + minutes(5)))).toBe(false);
  });

  it("another session (or none) is not covered by this session's confirmation", async () => {
    const other: Admin = { ...admin, sessionId: "another-session" };
    expect(await confirmation.confirmedRecently(other)).toBe(false);
  });

  it("the typed answer the client's prompt reacts to", () => {
    expect(confirmation.confirmationNeeded()).toEqual({
      ok: false,
      error: expect.stringMatching(/Confirm your password/),
      needsConfirmation: true,
    });
  });
});
