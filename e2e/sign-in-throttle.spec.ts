import { expect, test } from "./support/csp-fixture";
import { E2E_ADMIN } from "./support/stack-config";

// Runs last (project "throttle"): it uses up the sign-in attempts of this address for a minute.
test("repeated wrong passwords are throttled, even with a forged X-Forwarded-For", async ({ browser }) => {
  const context = await browser.newContext({
    storageState: { cookies: [], origins: [] },
    extraHTTPHeaders: { "x-forwarded-for": "203.0.113.7" },
  });
  const page = await context.newPage();
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(E2E_ADMIN.email);
  let throttled = false;
  for (let attempt = 1; attempt <= 8 && !throttled; attempt++) {
    await context.setExtraHTTPHeaders({ "x-forwarded-for": `203.0.113.${attempt}` });
    await page.getByLabel("Password").fill(`wrong-password-${attempt}`);
    await page.getByRole("button", { name: "Sign in" }).click();
    const alert = page.getByRole("alert").filter({ hasText: /\w/ }).first();
    await expect(alert).toHaveText(/Wrong email or password|Too many sign-in attempts/);
    throttled = /Too many/.test(await alert.innerText());
  }
  expect(throttled).toBe(true);
  // Even the right password is refused while throttled.
  await page.getByLabel("Password").fill(E2E_ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: /Too many/ })).toBeVisible();
  await context.close();
});
