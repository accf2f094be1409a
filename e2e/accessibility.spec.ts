import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "./support/csp-fixture";
import { APP_URL, E2E_ADMIN } from "./support/stack-config";

/**
 * Every page an administrator sees: axe finds no serious or critical violation, the page is
 * readable at 1280 px and at 390 px, in light and dark mode (no sideways scrolling; screenshots in the report), it loads
 * nothing from another origin (no external fonts or scripts), and the forms work with the keyboard
 * alone. The Email Settings page's other states (connected, test results, wrong user, needs
 * re-authorization) are checked with axe in journey.spec.ts; the setup page in first-run.setup.ts.
 */

const WIDTHS = [1280, 390] as const;
const SCHEMES = ["light", "dark"] as const;

async function expectAccessible(page: Page, where: string): Promise<void> {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(
    bad.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
    `axe on ${where}`,
  ).toEqual([]);
}

async function expectNoSidewaysScroll(page: Page, where: string): Promise<void> {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(scrollWidth, `${where}: page wider than the window`).toBeLessThanOrEqual(innerWidth);
}

/** Loads `path`, remembering every request's origin. */
async function visit(page: Page, path: string): Promise<string[]> {
  const origins: string[] = [];
  const onRequest = (r: { url: () => string }) => {
    const url = r.url();
    if (!url.startsWith("data:") && !url.startsWith("blob:")) origins.push(new URL(url).origin);
  };
  page.on("request", onRequest);
  await page.goto(path);
  await page.waitForLoadState("networkidle");
  page.off("request", onRequest);
  return origins;
}

for (const width of WIDTHS) {
  for (const colorScheme of SCHEMES) {
    test.describe(`at ${width} px, ${colorScheme}`, () => {
      test.use({ viewport: { width, height: 900 }, colorScheme });

      for (const path of [
        "/settings/general",
        "/settings/email",
        "/settings/relay",
        "/settings/status",
        "/settings/audit",
        "/settings/admins",
        "/settings/account",
        "/settings/two-factor",
      ]) {
        test(`${path}: axe, no sideways scroll, nothing from other origins`, async ({ page }, testInfo) => {
          const origins = await visit(page, path);
          await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
          expect([...new Set(origins)]).toEqual([APP_URL]);
          await expectAccessible(page, `${path} at ${width} px, ${colorScheme}`);
          await expectNoSidewaysScroll(page, path);
          await testInfo.attach(`${path} at ${width} px, ${colorScheme}`, {
            body: await page.screenshot({ fullPage: true }),
            contentType: "image/png",
          });
        });
      }

      test("/invite/… (signed out, a bad token's page): axe, no sideways scroll", async ({ browser }, testInfo) => {
        const context = await browser.newContext({
          storageState: { cookies: [], origins: [] },
          viewport: { width, height: 900 },
          colorScheme,
        });
        const page = await context.newPage();
        const origins = await visit(page, `/invite/${"A".repeat(43)}`);
        await expect(page.getByRole("heading", { level: 1 })).toHaveText("This invitation link is not valid");
        expect([...new Set(origins)]).toEqual([APP_URL]);
        await expectAccessible(page, `/invite/… at ${width} px, ${colorScheme}`);
        await expectNoSidewaysScroll(page, "/invite/…");
        await testInfo.attach(`/invite/… at ${width} px, ${colorScheme}`, {
          body: await page.screenshot({ fullPage: true }),
          contentType: "image/png",
        });
        await context.close();
      });

      test("/sign-in (signed out): axe, no sideways scroll, nothing from other origins", async ({
        browser,
      }, testInfo) => {
        const context = await browser.newContext({
          storageState: { cookies: [], origins: [] },
          viewport: { width, height: 900 },
          colorScheme,
        });
        const page = await context.newPage();
        const origins = await visit(page, "/sign-in");
        expect([...new Set(origins)]).toEqual([APP_URL]);
        await expectAccessible(page, `/sign-in at ${width} px, ${colorScheme}`);
        await expectNoSidewaysScroll(page, "/sign-in");
        await testInfo.attach(`/sign-in at ${width} px, ${colorScheme}`, {
          body: await page.screenshot({ fullPage: true }),
          contentType: "image/png",
        });
        await context.close();
      });
    });
  }
}

test("keyboard only: sign in, move through the settings, save General Settings", async ({ browser }) => {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto("/sign-in");
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Skip to content" })).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Email")).toBeFocused();
  await page.keyboard.type(E2E_ADMIN.email);
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Password")).toBeFocused();
  await page.keyboard.type(E2E_ADMIN.password);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/settings\//);

  await page.goto("/settings/general");
  // Tab until the Server Base URL field has the focus: it is reachable, in a sensible order, with a visible focus ring.
  const field = page.getByLabel("Server Base URL");
  for (let i = 0; i < 15 && !(await field.evaluate((el) => el === document.activeElement)); i++)
    await page.keyboard.press("Tab");
  await expect(field).toBeFocused();
  expect(await field.evaluate((el) => getComputedStyle(el).outlineStyle)).not.toBe("none");
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type("http://mail.contoso.com");
  await page.keyboard.press("Enter");
  await expect(page.locator("#serverBaseUrl-error")).toHaveText(/must use HTTPS/);
  await expect(field).toHaveAttribute("aria-describedby", /serverBaseUrl-error/);
  await expect(field).toHaveAccessibleDescription(/must use HTTPS/);
  await field.focus();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type(APP_URL);
  await page.keyboard.press("Tab"); // → Copy redirect URI
  await expect(page.getByRole("button", { name: "Copy redirect URI" })).toBeFocused();
  await page.keyboard.press("Tab"); // → the Azure portal link, where the redirect URI is registered
  await expect(page.getByRole("link", { name: "Azure portal" })).toBeFocused();
  await page.keyboard.press("Tab"); // → Save
  await expect(page.getByRole("button", { name: "Save" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByText(/General Settings saved|Saved \(nothing had changed\)/)).toBeVisible();
  await context.close();
});

test("Email Settings: every form control has a label, and the assistant's copy buttons say what they copy", async ({
  page,
}) => {
  await page.goto("/settings/email");
  const unlabeled = await page
    .locator("form[aria-label='Email Settings'] :is(input:not([type=hidden]), select, textarea)")
    .evaluateAll((els) =>
      els
        .filter((el) => !(el as HTMLInputElement).labels?.length && !el.getAttribute("aria-label"))
        .map((el) => el.id || el.outerHTML.slice(0, 60)),
    );
  expect(unlabeled).toEqual([]);
  await expect(page.getByTestId("registration-assistant")).toBeVisible();
  await expect(page.getByRole("button", { name: "Copy SMTP.Send" })).toBeVisible();
});
