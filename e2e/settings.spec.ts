import { expect, test, type Page } from "./support/csp-fixture";
import { APP_URL, E2E_ADMIN } from "./support/stack-config";
import { captureServerAction } from "./support/server-actions";
import { confirmPasswordWhenAsked } from "./support/password-prompt";

const SECRET = "Xq8~sandbox.Secret-Value_7a9f3kLmN0pQ";

/** Every response body the page received (HTML, RSC payloads, JSON), to search for leaked secrets. */
function recordBodies(page: Page): string[] {
  const bodies: string[] = [];
  page.on("response", async (r) => {
    try {
      bodies.push(await r.text());
    } catch {
      // redirects and aborted requests have no body
    }
  });
  return bodies;
}

// The suite runs longer than the 5-minute re-confirmation window: confirm the prompt when it appears.
test.beforeEach(async ({ page }) => confirmPasswordWhenAsked(page));

test.describe("General Settings", () => {
  test("refuses http with the HTTPS message, saves https, shows the exact redirect URI, warns on another origin", async ({
    page,
  }) => {
    await page.goto("/settings/general");
    const field = page.getByLabel("Server Base URL");

    await field.fill("http://mail.contoso.com");
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.locator("#serverBaseUrl-error")).toHaveText(/must use HTTPS/);

    await field.fill("https://mail-connect.contoso.com/");
    await expect(page.getByTestId("redirect-uri")).toHaveText(
      "https://mail-connect.contoso.com/flexdeploy/rest/v2/oauth",
    );
    await expect(page.getByText(/You are using this page at/)).toBeVisible();
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByText("General Settings saved.")).toBeVisible();

    await page.reload();
    await expect(field).toHaveValue("https://mail-connect.contoso.com");

    // The base URL the admin is using right now: no warning, and the copy button copies the URI.
    await field.fill(APP_URL);
    await expect(page.getByText(/You are using this page at/)).toHaveCount(0);
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByText("General Settings saved.")).toBeVisible();
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
    await page.getByRole("button", { name: "Copy redirect URI" }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${APP_URL}/flexdeploy/rest/v2/oauth`);
  });

  test("a direct POST with a bad URL is refused the same way and changes nothing", async ({ page, request }) => {
    await page.goto("/settings/general");
    const field = page.getByLabel("Server Base URL");
    await field.fill(APP_URL);
    const action = await captureServerAction(page, async () => {
      await page.getByRole("button", { name: "Save" }).click();
    });
    await expect(page.getByText(/General Settings saved|nothing had changed/)).toBeVisible();

    // (A body that is not JSON at all is refused by Next.js itself before any app code runs.)
    for (const body of [
      JSON.stringify([{ serverBaseUrl: "http://evil.example.com", version: 1 }]),
      JSON.stringify([{}]),
      JSON.stringify(["x"]),
      JSON.stringify([null]),
    ]) {
      const res = await request.post(action.url, { headers: action.headers, data: body });
      expect(res.status(), `status for ${body}`).toBeLessThan(500);
    }
    const res = await request.post(action.url, {
      headers: action.headers,
      data: JSON.stringify([{ serverBaseUrl: "http://evil.example.com", version: 1 }]),
    });
    expect(await res.text()).toContain("must use HTTPS");
    await page.reload();
    await expect(field).toHaveValue(APP_URL);
  });
});

test.describe("Email Settings", () => {
  test("Microsoft OAuth fills Microsoft 365 defaults; values and the secret survive a reload; the secret never reaches the browser", async ({
    page,
  }) => {
    const bodies = recordBodies(page);
    await page.goto("/settings/email");
    // A known start: earlier specs may have saved the sandbox's settings (Custom cloud, hosts 127.0.0.1), and
    // Microsoft 365's defaults fill only empty fields (or another cloud's defaults).
    await page.getByLabel("SMTP auth type").selectOption("none");
    await page.getByLabel("SMTP host").fill("");
    await page.getByLabel("IMAP host").fill("");
    await page.getByLabel("SMTP auth type").selectOption("microsoft");
    await page.getByLabel("Cloud").selectOption("global");
    await page.locator("#smtpConnectionType").selectOption("delegated");
    await page.locator("#imapConnectionType").selectOption("delegated");
    await page.locator("#smtpSignInAs").fill("");
    await page.locator("#imapSignInAs").fill("");
    await page.getByLabel("Credential", { exact: true }).selectOption("secret");
    await expect(page.getByLabel("SMTP host")).toHaveValue("smtp.office365.com");
    await expect(page.getByLabel("SMTP port")).toHaveValue("587");
    await expect(page.getByLabel("SMTP security")).toHaveValue("starttls");
    await expect(page.getByLabel("IMAP host")).toHaveValue("outlook.office365.com");
    await expect(page.getByLabel("IMAP port")).toHaveValue("993");

    // FlexDeploy's documented host is accepted too.
    await page.getByLabel("SMTP host").fill("smtp.outlook.com");
    await page.getByLabel("SMTP user").fill("mailer@contoso.com");
    await page.getByLabel("Approval Reply Address").fill("approvals@contoso.com");
    await page.getByLabel("Client Id").fill("11111111-2222-3333-4444-555555555555");
    await page.getByLabel("Tenant Id").fill("contoso.onmicrosoft.com");
    await page.getByLabel("Client Secret", { exact: true }).fill(SECRET);
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByText("Email Settings saved.")).toBeVisible();

    await page.reload();
    await expect(page.getByLabel("SMTP auth type")).toHaveValue("microsoft");
    await expect(page.getByLabel("SMTP host")).toHaveValue("smtp.outlook.com");
    await expect(page.getByLabel("SMTP user")).toHaveValue("mailer@contoso.com");
    await expect(page.getByLabel("Approval Reply Address")).toHaveValue("approvals@contoso.com");
    await expect(page.getByLabel("Client Id")).toHaveValue("11111111-2222-3333-4444-555555555555");
    await expect(page.getByLabel("Client Secret", { exact: true })).toHaveValue("");
    await expect(page.locator("#msClientSecret-hint")).toHaveText(/Set \(ends …kLmN0pQ\)|Set \(ends …0pQ\)/);

    await page.goto("/settings/audit");
    // In plain language (issue 16): the event's name, and the secret by name only.
    await expect(page.getByRole("cell", { name: /Email Settings saved/ }).first()).toBeVisible();
    await expect(page.getByRole("cell", { name: /Client Secret \(value not shown\)/ }).first()).toBeVisible();

    const all = bodies.join("\n");
    expect(all.length).toBeGreaterThan(1000);
    expect(all).not.toContain(SECRET);
  });

  test("invalid input shows a message next to each field and stores nothing", async ({ page }) => {
    await page.goto("/settings/email");
    const before = await page.getByLabel("Client Id").inputValue();
    await page.getByLabel("SMTP auth type").selectOption("microsoft");
    await page.getByLabel("Client Id").fill("not-a-guid");
    await page.getByLabel("SMTP port").fill("99999");
    await page.getByLabel("SMTP user").fill("nobody");
    await page.getByLabel("Tenant Id").fill("not a tenant");
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.locator("#msClientId-error")).toHaveText(/must be a GUID/);
    await expect(page.locator("#smtpPort-error")).toHaveText(/1 to 65535/);
    await expect(page.locator("#smtpUser-error")).toHaveText(/email address/);
    await expect(page.locator("#msTenantId-error")).toHaveText(/Directory \(tenant\) ID/);
    await expect(page.getByLabel("Client Id")).toHaveAttribute("aria-invalid", "true");
    await page.reload();
    await expect(page.getByLabel("Client Id")).toHaveValue(before);
  });

  test("a save over someone else's newer save is refused with who and when", async ({ browser, page }) => {
    await page.goto("/settings/email");
    const other = await browser.newContext({ storageState: await page.context().storageState() });
    const otherPage = await other.newPage();
    await confirmPasswordWhenAsked(otherPage);
    await otherPage.goto("/settings/email");

    await page.getByLabel("From address").fill("noreply@contoso.com");
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByText("Email Settings saved.")).toBeVisible();

    await otherPage.getByLabel("From address").fill("other@contoso.com");
    await otherPage.getByRole("button", { name: "Save" }).click();
    await expect(otherPage.getByRole("alert").first()).toHaveText(
      new RegExp(`changed by ${E2E_ADMIN.email} at .* Reload`),
    );
    await other.close();

    await page.reload();
    await expect(page.getByLabel("From address")).toHaveValue("noreply@contoso.com");
  });
});

test.describe("signed out", () => {
  test("every settings page redirects to sign-in and every action is refused", async ({ page, browser }) => {
    await page.goto("/settings/general");
    const action = await captureServerAction(page, async () => {
      await page.getByRole("button", { name: "Save" }).click();
    });
    const anonymous = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const anon = await anonymous.newPage();
    for (const path of ["/settings/general", "/settings/email", "/settings/audit", "/"]) {
      await anon.goto(path);
      await expect(anon, path).toHaveURL(/\/sign-in/);
    }
    const res = await anonymous.request.post(action.url, {
      headers: action.headers,
      data: JSON.stringify([{ serverBaseUrl: "https://evil.example.com", version: 0 }]),
    });
    expect(res.status()).toBeLessThan(500);
    expect(await res.text()).toContain("Your session has ended");
    await anonymous.close();
    await page.reload();
    await expect(page.getByLabel("Server Base URL")).not.toHaveValue("https://evil.example.com");
  });

  test("sign in with the form, sign out", async ({ browser }) => {
    const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const page = await context.newPage();
    await page.goto("/settings/audit");
    await expect(page).toHaveURL(/\/sign-in/);
    await page.getByLabel("Email").fill(E2E_ADMIN.email);
    await page.getByLabel("Password").fill(E2E_ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/settings\//);
    await expect(page.getByText(`Signed in as ${E2E_ADMIN.email}`)).toBeVisible();
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/sign-in/);
    await page.goto("/settings/email");
    await expect(page).toHaveURL(/\/sign-in/);
    await context.close();
  });
});
