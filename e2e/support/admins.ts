import type { Browser, BrowserContext, Page } from "@playwright/test";
import { expect } from "./csp-fixture";
import { signInWithPassword } from "./admin-accounts";

/** Helpers of the administrators specs: their own admins (never E2E_ADMIN's password or sessions). */

let counter = 0;
/** A fresh address per call, so a rerun against the same stack never collides. */
export function uniqueEmail(prefix: string): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}@contoso.test`;
}

/**
 * Signs in through the sign-in form as `email` and waits for the page after it. The per-address limit
 * (5 a minute; its own spec) is forgotten first: these specs sign in more often than that.
 */
export async function signInThroughForm(page: Page, email: string, password: string): Promise<void> {
  await signInWithPassword(page, { name: email, email, password });
  await expect(page.locator("h1").filter({ hasNotText: "Sign in to Mail Connect" })).toBeVisible({ timeout: 15_000 });
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
