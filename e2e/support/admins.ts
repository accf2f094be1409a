import type { Browser, BrowserContext, Page } from "@playwright/test";
import { expect } from "./csp-fixture";

/** Helpers of the administrators specs: their own admins (never E2E_ADMIN's password or sessions). */

let counter = 0;
/** A fresh address per call, so a rerun against the same stack never collides. */
export function uniqueEmail(prefix: string): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}@contoso.test`;
}

/**
 * Signs in through the sign-in form; when the per-address limit answers "Too many sign-in attempts"
 * (these specs sign in more often than 5 times a minute), waits as told and tries again.
 */
export async function signInThroughForm(page: Page, email: string, password: string): Promise<void> {
  for (let attempt = 0; attempt < 4; attempt++) {
    await page.goto("/sign-in");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    const throttled = page.getByText(/Too many sign-in attempts\. Wait (\d+) seconds/);
    await expect(page.locator("h1").filter({ hasNotText: "Sign in to Mail Connect" }).or(throttled)).toBeVisible({
      timeout: 15_000,
    });
    if (!(await throttled.isVisible())) return;
    const seconds = Number(/Wait (\d+) seconds/.exec((await throttled.textContent()) ?? "")?.[1] ?? "60");
    await page.waitForTimeout((seconds + 1) * 1000);
  }
  throw new Error(`could not sign in as ${email}`);
}

/** A signed-out browser context of its own, signed in as `email`. */
export async function signedInContext(
  browser: Browser,
  email: string,
  password: string,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await signInThroughForm(page, email, password);
  return { context, page };
}

/** Adds an administrator with an initial password on the Administrators page (as the signed-in `page`). */
export async function addWithInitialPassword(page: Page, admin: { name: string; email: string; password: string }) {
  await page.goto("/settings/admins");
  const form = page.getByRole("form", { name: "Add with an initial password" });
  await form.getByLabel("Their name").fill(admin.name);
  await form.getByLabel("Their email").fill(admin.email);
  await form.getByLabel("Initial password").fill(admin.password);
  await form.getByRole("button", { name: "Add administrator" }).click();
  await expect(form.getByText(`${admin.email} can sign in with this password now`)).toBeVisible();
  await expect(page.getByTestId(`admin-${admin.email}`)).toBeVisible();
}
