import { expect, test, type Page } from "./support/csp-fixture";
import { ageConfirmations, confirmPasswordWhenAsked, passwordPrompt } from "./support/password-prompt";
import { ADMIN_STATE_FILE, E2E_ADMIN } from "./support/stack-config";

/**
 * Issue 11 item 1: a stored SMTP password goes only to the host, port and security it was saved with,
 * and changing where secrets go asks for the admin's password once the last confirmation is older
 * than 5 minutes.
 */

const saved = (page: Page) => page.getByText(/Email Settings saved|Saved \(nothing had changed\)/);

/** Save; if the prompt appears (the suite may have run past the window already), confirm. */
async function saveConfirmingIfAsked(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Save" }).click();
  await expect(saved(page).or(passwordPrompt(page))).toBeVisible();
  if (await passwordPrompt(page).isVisible()) {
    await passwordPrompt(page).getByLabel("Your password").fill(E2E_ADMIN.password);
    await passwordPrompt(page).getByRole("button", { name: "Confirm" }).click();
  }
  await expect(saved(page)).toBeVisible();
}

test.afterAll(async ({ browser }) => {
  // Leave Microsoft 365's SMTP host behind, as the other specs expect (their defaults replace only those).
  const context = await browser.newContext({ storageState: ADMIN_STATE_FILE });
  const page = await context.newPage();
  await confirmPasswordWhenAsked(page);
  await page.goto("/settings/email");
  await page.getByLabel("SMTP auth type").selectOption("none");
  await page.getByLabel("SMTP host").fill("smtp.office365.com");
  await page.getByLabel("SMTP port").fill("587");
  await page.getByLabel("SMTP security").selectOption("starttls");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(saved(page)).toBeVisible();
  await context.close();
});

test("a changed SMTP host needs the password typed again; after 5 minutes the admin's password too", async ({
  page,
}) => {
  await page.goto("/settings/email");
  await page.getByLabel("SMTP auth type").selectOption("password");
  await page.getByLabel("SMTP host").fill("smtp.contoso.test");
  await page.getByLabel("SMTP port").fill("587");
  await page.getByLabel("SMTP security").selectOption("starttls");
  await page.getByLabel("SMTP user").fill("mailer@contoso.test");
  await page.getByLabel("SMTP password", { exact: true }).fill("first-smtp-password");
  await page.getByLabel("Approval Reply Address").fill("");
  await saveConfirmingIfAsked(page);

  // Another host, the stored password kept: refused on the password field, nothing saved.
  await page.goto("/settings/email");
  await page.getByLabel("SMTP host").fill("listener.evil.test");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.locator("#smtpPassword-error")).toHaveText(
    /SMTP host changed: the stored SMTP password is only sent to the host, port and security it was saved with\. Type it again/,
  );
  await expect(passwordPrompt(page)).toHaveCount(0);
  await page.reload();
  await expect(page.getByLabel("SMTP host")).toHaveValue("smtp.contoso.test");

  // Typed again in the same save: saved (the last confirmation is recent).
  await page.getByLabel("SMTP host").fill("smtp2.contoso.test");
  await page.getByLabel("SMTP password", { exact: true }).fill("second-smtp-password");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(saved(page)).toBeVisible();
  await expect(passwordPrompt(page)).toHaveCount(0);

  // After the window: the prompt; a wrong password is refused, the right one saves.
  ageConfirmations(6);
  await page.goto("/settings/email");
  await page.getByLabel("SMTP security").selectOption("tls");
  await page.getByLabel("SMTP port").fill("465");
  await page.getByLabel("SMTP password", { exact: true }).fill("third-smtp-password");
  await page.getByRole("button", { name: "Save" }).click();
  const prompt = passwordPrompt(page);
  await expect(prompt).toBeVisible();
  await expect(prompt.getByLabel("Your password")).toBeFocused();
  await prompt.getByLabel("Your password").fill("not-my-password");
  await prompt.getByRole("button", { name: "Confirm" }).click();
  await expect(prompt.locator("#password-prompt-password-error")).toHaveText(/not your password/);
  await prompt.getByLabel("Your password").fill(E2E_ADMIN.password);
  await prompt.getByRole("button", { name: "Confirm" }).click();
  await expect(prompt).toHaveCount(0);
  await expect(saved(page)).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("SMTP port")).toHaveValue("465");

  // Cancel leaves everything as it was.
  ageConfirmations(6);
  await page.getByLabel("SMTP port").fill("2465");
  await page.getByLabel("SMTP password", { exact: true }).fill("fourth-smtp-password");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(prompt).toBeVisible();
  await prompt.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByText("Nothing was changed: your password was not confirmed.")).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("SMTP port")).toHaveValue("465");
});
