import { expect, test } from "./support/csp-fixture";
import {
  createTestAdmin,
  enrolTwoFactor,
  forgetAddressLimits,
  signInWithPassword,
  signOut,
  withAppDb,
} from "./support/admin-accounts";

// A separate administrator (never E2E_ADMIN): enrolled here, signed in with a code and with a backup code.
test.use({ storageState: { cookies: [], origins: [] } });

test("enrol two-factor, sign in with a code and with a backup code that then works no more", async ({ page }) => {
  const admin = createTestAdmin("tfa");
  await signInWithPassword(page, admin);
  await expect(page).toHaveURL(/\/settings\/general$/);

  const { totp, backupCodes } = await enrolTwoFactor(page, admin);
  expect(new Set(backupCodes).size).toBe(10);
  // Shown once: the page reloaded shows two-factor on and no codes.
  await page.reload();
  await expect(page.getByTestId("two-factor-status")).toHaveText(/is on for/);
  await expect(page.getByTestId("backup-codes")).toHaveCount(0);
  const stored = withAppDb(
    (db) =>
      db
        .prepare(
          `SELECT "secret", "backupCodes" FROM "twoFactor" t JOIN "user" u ON u.id = t."userId" WHERE u.email = ?`,
        )
        .get(admin.email) as { secret: string; backupCodes: string },
  );
  expect(stored.backupCodes).not.toContain(backupCodes[0]); // encrypted at rest by the library

  // Password, then the authenticator's code (a wrong one first).
  await signOut(page);
  await signInWithPassword(page, admin);
  await expect(page.getByLabel("Authentication code")).toBeVisible();
  await page.getByLabel("Authentication code").fill("000000");
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "That code is not right" })).toBeVisible();
  forgetAddressLimits();
  await page.getByLabel("Authentication code").fill(totp.generate());
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).toHaveURL(/\/settings\/general$/);

  // A backup code instead of the app: works once.
  await signOut(page);
  await signInWithPassword(page, admin);
  await page.getByRole("button", { name: "Use a backup code" }).click();
  await page.getByLabel("Backup code").fill(backupCodes[3]);
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).toHaveURL(/\/settings\/general$/);

  await signOut(page);
  await signInWithPassword(page, admin);
  await page.getByRole("button", { name: "Use a backup code" }).click();
  await page.getByLabel("Backup code").fill(backupCodes[3]);
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "That backup code is not valid" })).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in/);

  // Another backup code still works; then the audit trail tells what happened in plain language.
  forgetAddressLimits();
  await page.getByLabel("Backup code").fill(backupCodes[4]);
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).toHaveURL(/\/settings\/general$/);
  await page.goto("/settings/audit");
  const rows = page.getByTestId("audit-table").getByRole("row").filter({ hasText: admin.email });
  for (const text of [
    "Two-factor sign-in turned on",
    "Password accepted; two-factor code asked",
    "Two-factor code refused",
    "With: password and authenticator code",
    "With: password and backup code",
    "Signed out",
  ]) {
    await expect(rows.filter({ hasText: text }).first()).toBeVisible();
  }
});

test("break-glass: admin:create --reset clears the admin's two-factor (audited)", async ({ page }) => {
  const admin = createTestAdmin("tfa-reset");
  await signInWithPassword(page, admin);
  await expect(page).toHaveURL(/\/settings\/general$/);
  await enrolTwoFactor(page, admin);
  await signOut(page);

  createTestAdmin("tfa-reset", { reset: true, email: admin.email });
  await signInWithPassword(page, admin); // no code asked any more
  await expect(page).toHaveURL(/\/settings\/general$/);
  await page.goto("/settings/two-factor");
  await expect(page.getByTestId("two-factor-status")).toHaveText(/is off for/);
  await page.goto("/settings/audit");
  const cleared = page.getByTestId("audit-table").getByRole("row").filter({ hasText: admin.email });
  await expect(cleared.filter({ hasText: "two-factor sign-in cleared (break-glass reset)" })).toHaveCount(1);
});
