import { beforeAll, describe, expect, it } from "vitest";
import { applyMigrations } from "@/lib/db/migrate";
import { databaseUrl } from "@/lib/db/database-url";
import type { Admin } from "@/lib/auth/session";

/**
 * Issue 12: a password another administrator set must be changed before anything else; then, when every
 * administrator must have two-factor, an administrator without it sets it up before anything else.
 */

let steps: typeof import("@/lib/auth/first-steps");
let password: typeof import("@/lib/auth/password-change-required");
let twoFactor: typeof import("@/lib/auth/two-factor-requirement");
let admin: Admin;

beforeAll(async () => {
  await applyMigrations(databaseUrl());
  steps = await import("@/lib/auth/first-steps");
  password = await import("@/lib/auth/password-change-required");
  twoFactor = await import("@/lib/auth/two-factor-requirement");
  const { createAdmin } = await import("@/lib/auth/admin-accounts");
  const created = await createAdmin({
    name: "New",
    email: "new@contoso.test",
    password: "a-long-admin-password-1",
    mustChangePassword: true,
  });
  // As the session read gives it (lib/auth/session.ts; tested in sign-in.integration.test.ts).
  admin = {
    id: created.id,
    email: created.email,
    name: "New",
    sessionId: "s",
    twoFactorEnabled: false,
    mustChangePassword: true,
  };
});

describe("pendingFirstStep", () => {
  it("first: the change-password page, only changing the password allowed", async () => {
    await twoFactor.saveTwoFactorRequired(true, "other@contoso.test");
    const step = await steps.pendingFirstStep(admin);
    expect(step?.page).toBe("/settings/account");
    expect(steps.isStepPage(step!, "/settings/account")).toBe(true);
    expect(steps.isStepPage(step!, "/settings/account?_rsc=1")).toBe(true);
    expect(steps.isStepPage(step!, "/settings/accounts")).toBe(false);
    expect(steps.isStepPage(step!, null)).toBe(false);
    expect(step!.allowedActions.has("changeOwnPassword")).toBe(true);
    expect(step!.allowedActions.has("saveGeneralSettings")).toBe(false);
    expect(step!.allowedActions.has("confirmPassword")).toBe(false);
    expect(step!.allowedActions.has("authorize")).toBe(false);
  });

  it("then: two-factor enrolment while it is required and not set up", async () => {
    await password.passwordChanged(admin.id);
    const changed = { ...admin, mustChangePassword: false }; // the next request's session read
    expect(password.mustChangePassword(changed)).toBe(false);
    const step = await steps.pendingFirstStep(changed);
    expect(step?.page).toBe("/settings/two-factor");
    expect(step!.allowedActions.has("confirmTwoFactorEnrolment")).toBe(true);
    expect(step!.allowedActions.has("saveGeneralSettings")).toBe(false);
  });

  it("nothing once the password is their own and two-factor is set up (or not required)", async () => {
    const changed = { ...admin, mustChangePassword: false };
    expect(await steps.pendingFirstStep({ ...changed, twoFactorEnabled: true })).toBeNull();
    await twoFactor.saveTwoFactorRequired(false, "other@contoso.test");
    expect(await steps.pendingFirstStep(changed)).toBeNull();
  });
});
