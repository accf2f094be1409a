import { existsSync } from "node:fs";
import { expect, test } from "./support/csp-fixture";
import { APP_URL } from "./support/stack-config";
import { fillSandboxEmailSettings, saveEmailSettings, saveServerBaseUrl } from "./support/sandbox-pages";
import { confirmPasswordWhenAsked } from "./support/password-prompt";

/**
 * Issue 15 in the browser: a client secret that expires in 5 days warns on every admin page with the
 * renewal steps, and in Email Settings' checklist and next step; a replaced secret without a date clears
 * it. A password on Exchange Online shows Microsoft's Basic-auth deadline and "Switch to Microsoft OAuth"
 * keeps every other field. The footer and /api/health show the version to the signed-in admin only.
 */
test.describe.configure({ mode: "serial" });
test.beforeEach(async ({ page }) => confirmPasswordWhenAsked(page));

const app = { clientId: "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", secret: "expiry~e2e-secret-value-0123456789" };
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

test("a client secret expiring in 5 days: the banner on every page with the steps, and the checklist", async ({
  page,
}) => {
  await saveServerBaseUrl(page, APP_URL);
  await page.goto("/settings/email");
  await fillSandboxEmailSettings(page, app);
  await page.getByLabel("Secret expires").fill(inDays(5));
  await saveEmailSettings(page);

  await page.goto("/settings/general");
  const banner = page.getByTestId("credential-expiry-banner");
  await expect(banner).toContainText(`The app registration's client secret expires in 5 days (${inDays(5)}).`);
  await expect(banner.locator("[data-window]")).toHaveAttribute("data-window", "7");
  await expect(banner).toContainText(
    "Azure portal → App registrations → your app → Certificates & secrets → Client secrets → New client secret.",
  );
  await expect(banner.getByRole("link", { name: "Email Settings" })).toHaveAttribute("href", "/settings/email#msCloud");

  await page.goto("/settings/email");
  await expect(page.getByLabel("Secret expires")).toHaveValue(inDays(5));
  await expect(page.getByTestId("checklist-secret")).toContainText(`It expires in 5 days (${inDays(5)}): renew it`);
  // The set-up steps come first (nothing is authorized here); the renewal follows them (the next step's order has its unit test).
  await expect(page.getByTestId("next-step")).toContainText("Next: Authorize mailer@contoso.test");

  // A new secret: its old date is cleared as it is typed; saved without one, no warning is left, and the
  // save says a date is wanted.
  await page.getByLabel("Client Secret", { exact: true }).fill("expiry~e2e-second-secret-9876543210");
  await expect(page.getByLabel("Secret expires")).toHaveValue("");
  // A date typed for the new secret is the new secret's: typing the secret again keeps it.
  await page.getByLabel("Secret expires").fill(inDays(400));
  await page.getByLabel("Client Secret", { exact: true }).fill("expiry~e2e-second-secret-9876543211");
  await expect(page.getByLabel("Secret expires")).toHaveValue(inDays(400));
  await page.getByLabel("Secret expires").fill("");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("No expiry date was entered for the new Client Secret")).toBeVisible();
  await page.goto("/settings/general");
  await expect(page.getByTestId("credential-expiry-banner")).toHaveCount(0);
  await page.goto("/settings/email");
  await expect(page.getByTestId("checklist-secret")).toContainText("No expiry date entered");
});

test("a password on Exchange Online: Microsoft's deadline, and Switch to Microsoft OAuth keeps the other fields", async ({
  page,
}) => {
  await page.goto("/settings/email");
  await page.getByLabel("SMTP host").fill("smtp.office365.com");
  await page.getByLabel("SMTP user").fill("scanner@contoso.test");
  await page.getByLabel("SMTP auth type").selectOption("password");
  const notice = page.getByTestId("basic-auth-notice-smtp");
  await expect(notice).toContainText(
    "Microsoft turns Basic authentication for SMTP AUTH off by default for existing tenants at the end of December 2026",
  );
  await expect(notice).toContainText('"550 5.7.30 Basic authentication is not supported for Client Submission"');
  await expect(
    notice.getByRole("link", { name: /Updated Exchange Online SMTP AUTH Basic Authentication Deprecation Timeline/ }),
  ).toHaveAttribute("href", /techcommunity\.microsoft\.com\/blog\/exchange\/updated-exchange-online-smtp-auth/);
  await expect(notice.getByRole("link", { name: "The Relay page" })).toHaveAttribute("href", "/settings/relay");

  await notice.getByRole("button", { name: "Switch to Microsoft OAuth" }).click();
  await expect(page.getByLabel("SMTP auth type")).toHaveValue("microsoft");
  await expect(notice).toHaveCount(0);
  await expect(page.getByLabel("SMTP host")).toHaveValue("smtp.office365.com");
  await expect(page.getByLabel("SMTP user")).toHaveValue("scanner@contoso.test");
  await expect(page.getByLabel("Client Id")).toBeFocused();

  // IMAP with a password on Exchange Online: off since 2022, the same switch.
  await page.getByLabel("Approval Reply Address").fill("approvals@contoso.test");
  await page.getByLabel("IMAP host").fill("outlook.office365.com");
  await page.getByLabel("IMAP auth type").selectOption("password");
  const imap = page.getByTestId("basic-auth-notice-imap");
  await expect(imap).toContainText("turned Basic authentication for IMAP off in Exchange Online in 2022");
  await imap.getByRole("button", { name: "Switch to Microsoft OAuth" }).click();
  await expect(page.getByLabel("IMAP auth type")).toHaveValue("microsoft");
  await expect(page.getByLabel("IMAP host")).toHaveValue("outlook.office365.com");
});

test("the version and commit: in the footer and /api/health for the admin, status only for anyone else", async ({
  page,
  browser,
}) => {
  await page.goto("/settings/general");
  // Built from a git checkout (npm run build wrote the commit), or an image without .git (version only).
  const commit = existsSync(".git") ? " · commit [0-9a-f]{7,40}" : "( · commit [0-9a-f]{7,40})?";
  await expect(page.getByTestId("build-footer")).toHaveText(new RegExp(`^Mail Connect \\d+\\.\\d+\\.\\d+${commit}$`));
  const admin = await (await page.request.get("/api/health")).json();
  expect(admin).toMatchObject({ ok: true, version: expect.stringMatching(/^\d+\.\d+\.\d+$/) });
  if (existsSync(".git")) expect(admin.commit).toMatch(/^[0-9a-f]{7,40}$/);

  const anonymous = await browser.newContext({ ignoreHTTPSErrors: true, storageState: { cookies: [], origins: [] } });
  const health = await (await anonymous.request.get(`${APP_URL}/api/health`)).json();
  expect(health).toEqual({ ok: true, database: "ok", migrations: "current" });
  await anonymous.close();
});
