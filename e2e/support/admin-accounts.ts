import { execFileSync } from "node:child_process";
import path from "node:path";
import Database from "better-sqlite3";
import * as OTPAuth from "otpauth";
import { expect, type Page } from "@playwright/test";
import { STACK } from "./stack-config";

/**
 * Separate administrators for the sign-in specs (two-factor, session limits, backoff), so that the
 * suite's E2E_ADMIN is never left enrolled, locked or signed out. Made as an operator would:
 * `npm run admin:create` against the stack's data directory.
 */
export type TestAdmin = { name: string; email: string; password: string };

export function createTestAdmin(prefix: string, options: { reset?: boolean; email?: string } = {}): TestAdmin {
  const email = options.email ?? `${prefix}-${Date.now().toString(36)}@contoso.test`;
  const admin = { name: `Test ${prefix}`, email, password: `${prefix}-password-123` };
  execFileSync(
    process.execPath,
    [
      path.resolve("node_modules/tsx/dist/cli.mjs"),
      "--conditions=react-server",
      "scripts/admin-create.ts",
      "--email",
      admin.email,
      "--name",
      admin.name,
      ...(options.reset ? ["--reset"] : []),
    ],
    { env: { ...process.env, DATA_DIR: STACK.appDataDir, ADMIN_PASSWORD: admin.password }, stdio: "pipe" },
  );
  return admin;
}

/** The stack's database, for a test that must move a stored time (the session's clock) or read a row. */
export function withAppDb<T>(use: (db: Database.Database) => T): T {
  const db = new Database(path.join(STACK.appDataDir, "mail-connect.db"), { fileMustExist: true });
  try {
    db.pragma("busy_timeout = 5000");
    return use(db);
  } finally {
    db.close();
  }
}

/**
 * The per-address sign-in limit (5 a minute, its own spec) counts every sign-in of the suite from this
 * machine: specs that sign in several times forget it first, so they test what they are about.
 */
export function forgetAddressLimits(): void {
  withAppDb((db) =>
    db.prepare(`DELETE FROM "rateLimit" WHERE "key" LIKE '%/sign-in/%' OR "key" LIKE '%/two-factor/%'`).run(),
  );
}

/** Signs in with the form (the password step only: a two-factor step is left to the caller). */
export async function signInWithPassword(page: Page, admin: TestAdmin, next = "/settings/general"): Promise<void> {
  forgetAddressLimits();
  await page.goto(`/sign-in?next=${encodeURIComponent(next)}`);
  await page.getByLabel("Email").fill(admin.email);
  await page.getByLabel("Password").fill(admin.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByTestId("signed-out")).toBeVisible();
}

/** Enrols the signed-in admin on the two-factor page; returns the authenticator and the ten backup codes. */
export async function enrolTwoFactor(
  page: Page,
  admin: TestAdmin,
): Promise<{ totp: OTPAuth.TOTP; backupCodes: string[] }> {
  await page.goto("/settings/two-factor");
  await page.getByLabel("Your password").fill(admin.password);
  await page.getByRole("button", { name: "Set up two-factor sign-in" }).click();
  await expect(page.getByRole("img", { name: "QR code for your authenticator app" })).toBeVisible();
  const secret = (await page.getByTestId("totp-secret").innerText()).replace(/\s/g, "");
  const totp = new OTPAuth.TOTP({ issuer: "Mail Connect", label: admin.email, secret, digits: 6, period: 30 });
  const codes = page.getByTestId("backup-codes").getByRole("listitem");
  await expect(codes).toHaveCount(10);
  const backupCodes = await codes.allInnerTexts();
  await page.getByLabel("Code from the app").fill(totp.generate());
  await page.getByRole("button", { name: "Turn on two-factor sign-in" }).click();
  await expect(page.getByTestId("two-factor-status")).toHaveText(/is on for/);
  return { totp, backupCodes };
}
