import { beforeAll, describe, expect, it } from "vitest";
import { applyMigrations } from "@/lib/db/migrate";
import { databaseUrl } from "@/lib/db/database-url";
import type { Admin } from "@/lib/auth/session";

/** Issue 12: a password another administrator set must be changed before anything else. */

let rule: typeof import("@/lib/auth/password-change-required");
let admin: Admin;

beforeAll(async () => {
  await applyMigrations(databaseUrl());
  rule = await import("@/lib/auth/password-change-required");
  const { createAdmin } = await import("@/lib/auth/admin-accounts");
  const created = await createAdmin({
    name: "New",
    email: "new@contoso.test",
    password: "a-long-admin-password-1",
    mustChangePassword: true,
  });
  admin = { id: created.id, email: created.email, name: "New", sessionId: "s" };
});

describe("passwordChangeBlocks", () => {
  it("blocks every page but the change-password page, every action but changing it, and every route", async () => {
    expect(await rule.passwordChangeBlocks(admin, { page: "/settings/email" })).toBe(true);
    expect(await rule.passwordChangeBlocks(admin, { page: null })).toBe(true);
    expect(await rule.passwordChangeBlocks(admin, { page: "/settings/account" })).toBe(false);
    expect(await rule.passwordChangeBlocks(admin, { page: "/settings/account?_rsc=1" })).toBe(false);
    expect(await rule.passwordChangeBlocks(admin, { page: "/settings/accounts" })).toBe(true);
    expect(await rule.passwordChangeBlocks(admin, { action: "saveGeneralSettings" })).toBe(true);
    expect(await rule.passwordChangeBlocks(admin, { action: "confirmPassword" })).toBe(true);
    expect(await rule.passwordChangeBlocks(admin, { action: "changeOwnPassword" })).toBe(false);
    expect(await rule.passwordChangeBlocks(admin, { route: "authorize" })).toBe(true);
  });

  it("lets everything through once the admin chose their own password", async () => {
    await rule.passwordChanged(admin.id);
    expect(await rule.mustChangePassword(admin)).toBe(false);
    expect(await rule.passwordChangeBlocks(admin, { page: "/settings/email" })).toBe(false);
    expect(await rule.passwordChangeBlocks(admin, { action: "saveGeneralSettings" })).toBe(false);
    expect(await rule.passwordChangeBlocks(admin, { route: "authorize" })).toBe(false);
  });
});
