import { expect, test } from "./support/csp-fixture";
import { APP_URL, E2E_ADMIN } from "./support/stack-config";

/**
 * Issue 11, item 2: `next` on /sign-in is resolved against this origin and must be an admin page
 * (/settings/…); anything else lands on Email Settings, and no variant answers 500. A signed-out deep
 * link returns to the page that was asked for after sign-in.
 */
const HOSTILE = [
  "/%09/evil.test",
  "/\t/evil.test",
  "/%0d%0a/evil.test",
  "/%0D%0ASet-Cookie:%20x=1",
  "/\\evil.test",
  "/%5Cevil.test",
  "//evil.test",
  "///evil.test",
  "https:evil.test",
  "https://evil.test/settings/email",
  "javascript:alert(1)",
  "/%2f%2fevil.test",
  "/settings/%2e%2e/api/health",
  "/settings/../api/health",
  "/settingsé",
  "/%E2%80%AE/evil.test",
  "/settings/%E0%A4%A",
  "/\u3000/evil.test",
  "%2F%2Fevil.test",
];

test.describe("sign-in return path", () => {
  test("signed in, every hostile next lands on Email Settings of this origin (never a 500)", async ({ page }) => {
    for (const next of HOSTILE) {
      const res = await page.request.get(`/sign-in?next=${encodeURIComponent(next)}`, { maxRedirects: 0 });
      expect(res.status(), next).toBe(307);
      expect(res.headers().location, next).toBe("/settings/email");
    }
    // Raw (not URL-encoded) control and non-ASCII characters in the query, as a hand-made link has them.
    for (const raw of ["/%0d%0a/evil.test", "/%09/evil.test", "/%C3%A9", "/%FF", "/\\evil.test"]) {
      const res = await page.request.get(`/sign-in?next=${raw}`, { maxRedirects: 0 });
      expect(res.status(), raw).toBe(307);
      expect(res.headers().location, raw).toBe("/settings/email");
    }
    // In the browser: the tab trick of the issue stays on this origin; an admin page is kept, with its query.
    await page.goto("/sign-in?next=/%09/evil.test");
    expect(page.url()).toBe(`${APP_URL}/settings/email`);
    await page.goto(`/sign-in?next=${encodeURIComponent("/settings/general?x=1")}`);
    expect(page.url()).toBe(`${APP_URL}/settings/general?x=1`);
  });

  test("signed out, the sign-in page answers every hostile next without a 500", async ({ browser }) => {
    const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    for (const next of HOSTILE) {
      const res = await context.request.get(`/sign-in?next=${encodeURIComponent(next)}`);
      expect(res.status(), next).toBe(200);
      expect(await res.text(), next).toContain("Sign in to Mail Connect");
    }
    await context.close();
  });

  test("a deep link to /settings/audit signed out returns there after sign-in; a tab trick does not leave", async ({
    browser,
  }) => {
    const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const page = await context.newPage();
    await page.goto("/settings/audit");
    await expect(page).toHaveURL(/\/sign-in\?next=%2Fsettings%2Faudit$/);
    await page.getByLabel("Email").fill(E2E_ADMIN.email);
    await page.getByLabel("Password").fill(E2E_ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(`${APP_URL}/settings/audit`);

    // The reproduction from the issue: signed out, /sign-in?next=/%09/evil.test, sign in → stays here.
    await context.clearCookies();
    await page.goto("/sign-in?next=/%09/evil.test");
    await page.getByLabel("Email").fill(E2E_ADMIN.email);
    await page.getByLabel("Password").fill(E2E_ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(`${APP_URL}/settings/email`);
    await context.close();
  });

  test("every admin page sends a signed-out browser to sign-in with its own path", async ({ browser }) => {
    const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    for (const path of ["/settings/general", "/settings/email", "/settings/relay", "/settings/audit"]) {
      const res = await context.request.get(path, { maxRedirects: 0 });
      expect([303, 307, 308], path).toContain(res.status());
      expect(res.headers().location, path).toBe(`/sign-in?next=${encodeURIComponent(path)}`);
    }
    await context.close();
  });
});
