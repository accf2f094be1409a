import { readFileSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "./support/csp-fixture";
import { ADMIN_STATE_FILE, E2E_ADMIN, SETUP_CODE_FILE } from "./support/stack-config";

/**
 * First start: the setup page requires the one-time code the server printed to its log; the first
 * administrator is created and signed in. The other specs reuse this signed-in state.
 */
test("first-run setup requires the code from the server log and creates the first administrator", async ({ page }) => {
  await page.goto("/settings/general");
  await expect(page).toHaveURL(/\/setup$/);
  await expect(page.getByRole("heading", { name: "Welcome to Mail Connect" })).toBeVisible();
  // The only time the setup page is reachable: no serious or critical accessibility violation.
  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);

  await page.getByLabel("Setup code").fill("AAAA-BBBB-CCCC-DDDD");
  await page.getByLabel("Your name").fill(E2E_ADMIN.name);
  await page.getByLabel("Email").fill(E2E_ADMIN.email);
  await page.getByLabel("Password").fill(E2E_ADMIN.password);
  await page.getByRole("button", { name: "Create administrator" }).click();
  await expect(page.locator("#setupCode-error")).toHaveText(/Wrong or already used setup code/);

  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create administrator" }).click();
  await expect(page.locator("#password-error")).toHaveText(/at least 12 characters/);

  const code = readFileSync(SETUP_CODE_FILE, "utf8").trim();
  await page.getByLabel("Setup code").fill(code);
  await page.getByLabel("Password").fill(E2E_ADMIN.password);
  await page.getByRole("button", { name: "Create administrator" }).click();
  await expect(page).toHaveURL(/\/settings\/general$/);
  await expect(page.getByText(`Signed in as ${E2E_ADMIN.email}`)).toBeVisible();

  const cookies = await page.context().cookies();
  const session = cookies.find((c) => c.name.endsWith("better-auth.session_token"));
  expect(session, "session cookie").toBeTruthy();
  expect(session!.httpOnly).toBe(true);
  expect(session!.secure).toBe(true);
  expect(session!.sameSite).toBe("Lax");

  // The code is single-use: setup is closed now.
  await page.goto("/setup");
  await expect(page).not.toHaveURL(/\/setup$/);

  await page.context().storageState({ path: ADMIN_STATE_FILE });
});
