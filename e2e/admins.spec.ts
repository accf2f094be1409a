import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, test } from "./support/csp-fixture";
import { addWithInitialPassword, signedInContext, signInThroughForm, uniqueEmail } from "./support/admins";
import { ageConfirmations, confirmPasswordWhenAsked, passwordPrompt } from "./support/password-prompt";
import { E2E_ADMIN } from "./support/stack-config";

// These specs sign in more often than the per-address limit allows in a minute: the sign-in helper forgets it first.
test.describe.configure({ timeout: 240_000 });

/**
 * Issue 12, the Administrators page: invite by link → accept → sign in; an initial password changed at
 * the first sign-in; reset and remove (their sessions end); each change in the audit trail. The specs
 * create admins of their own: E2E_ADMIN's password and sessions stay as the other specs expect.
 */

async function expectAccessible(page: Page, where: string): Promise<void> {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(
    bad.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
    `axe on ${where}`,
  ).toEqual([]);
}

test("invite by link: the link is shown (and the mail failure said), accepted once, then the invitee signs in", async ({
  page,
  browser,
}) => {
  const email = uniqueEmail("invitee");
  await page.goto("/settings/admins");
  await expect(page.getByRole("heading", { level: 1, name: "Administrators" })).toBeVisible();
  await expect(page.getByTestId(`admin-${E2E_ADMIN.email}`)).toContainText("(you)");
  const inviteForm = page.getByRole("form", { name: "Invite by link" });
  await inviteForm.getByLabel("Their email").fill(E2E_ADMIN.email);
  await inviteForm.getByRole("button", { name: "Create invitation link" }).click();
  await expect(inviteForm.getByText(`${E2E_ADMIN.email} is already an administrator.`)).toBeVisible();

  await inviteForm.getByLabel("Their email").fill(email);
  await inviteForm.getByRole("button", { name: "Create invitation link" }).click();
  const dialog = page.getByRole("dialog", { name: `Invitation link for ${email}` });
  await expect(dialog).toBeVisible();
  // The e2e stack's SMTP settings do not deliver: the failure is said, the link still shown.
  await expect(dialog.getByText(/could not be mailed/)).toBeVisible();
  const link = (await dialog.getByTestId("invitation-link").textContent())!.trim();
  expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(page.getByTestId(`invitation-${email}`)).toContainText(`by ${E2E_ADMIN.email}`);

  const invitee = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const invitePage = await invitee.newPage();
  const path = new URL(link).pathname;
  await invitePage.goto(path);
  await expect(invitePage.getByRole("heading", { name: "Become a Mail Connect administrator" })).toBeVisible();
  await expect(invitePage.locator(".lead")).toContainText(`invited ${email}`);
  await invitePage.getByLabel("Your name").fill("Ivy Invitee");
  await invitePage.getByLabel("Password").fill("password1234");
  await invitePage.getByRole("button", { name: "Create my account" }).click();
  await expect(invitePage.locator("#password-error")).toHaveText(/too easy to guess/);
  await invitePage.getByLabel("Password").fill("Ivy-invited-passphrase-7");
  await invitePage.getByRole("button", { name: "Create my account" }).click();
  await expect(invitePage.getByTestId("invitation-accepted")).toContainText(`${email} is ready`);

  // Single use: the same link is a 404 page now.
  const again = await invitePage.goto(path);
  expect(again?.status()).toBe(404);
  await expect(invitePage.getByRole("heading", { name: "This invitation link is not valid" })).toBeVisible();

  await signInThroughForm(invitePage, email, "Ivy-invited-passphrase-7");
  await expect(invitePage.getByText(`Signed in as ${email}`)).toBeVisible();
  await invitee.close();

  await page.reload();
  const row = page.getByTestId(`admin-${email}`);
  await expect(row).toContainText("Ivy Invitee");
  await expect(row).toContainText(`by ${E2E_ADMIN.email}`);
  await expect(row).toContainText("Off"); // two-factor
  await expect(row.getByText("Never")).toHaveCount(0); // last sign-in recorded
  await expect(page.getByTestId(`invitation-${email}`)).toHaveCount(0);
});

test("a pending invitation can be revoked: its link then answers 404", async ({ page }) => {
  const email = uniqueEmail("revoked");
  await page.goto("/settings/admins");
  const inviteForm = page.getByRole("form", { name: "Invite by link" });
  await inviteForm.getByLabel("Their email").fill(email);
  await inviteForm.getByRole("button", { name: "Create invitation link" }).click();
  const dialog = page.getByRole("dialog", { name: `Invitation link for ${email}` });
  const link = (await dialog.getByTestId("invitation-link").textContent())!.trim();
  await dialog.getByRole("button", { name: "Done" }).click();
  const row = page.getByTestId(`invitation-${email}`);
  await expect(row).toContainText("UTC"); // its expiry
  await row.getByRole("button", { name: `Revoke the invitation for ${email}` }).click();
  await expect(row).toHaveCount(0);
  const res = await page.request.get(new URL(link).pathname);
  expect(res.status()).toBe(404);
});

test("initial password: changed at the first sign-in, before anything else; reset and remove end their sessions", async ({
  page,
  browser,
}) => {
  const other = { name: "Olive Other", email: uniqueEmail("initial"), password: "Olive-initial-secret-42" };
  await addWithInitialPassword(page, other);

  const { context, page: otherPage } = await signedInContext(browser, other.email, other.password);
  await expect(otherPage).toHaveURL(/\/settings\/account$/);
  await expect(otherPage.getByTestId("must-change-password")).toBeVisible();
  await otherPage.goto("/settings/general");
  await expect(otherPage).toHaveURL(/\/settings\/account$/);
  const change = otherPage.getByRole("form", { name: "Change your password" });
  await change.getByLabel("Current password").fill("not-the-initial-one");
  await change.getByLabel("New password").fill("Olive-own-passphrase-9");
  await change.getByRole("button", { name: "Change password" }).click();
  await expect(otherPage.locator("#currentPassword-error")).toHaveText(/not your current password/);
  await change.getByLabel("Current password").fill(other.password);
  await change.getByRole("button", { name: "Change password" }).click();
  await expect(otherPage).toHaveURL(/\/settings\/email$/);
  await otherPage.goto("/settings/general");
  await expect(otherPage).toHaveURL(/\/settings\/general$/);

  // Reset by another administrator, after the 5-minute window: the prompt first; their session ends.
  ageConfirmations(6);
  await page.goto("/settings/admins");
  const row = page.getByTestId(`admin-${other.email}`);
  await row.getByRole("button", { name: `Set password for ${other.email}` }).click();
  await row.getByLabel(`New password for ${other.email}`, { exact: true }).fill("Olive-reset-secret-5150");
  await row.getByRole("button", { name: "Set password", exact: true }).click();
  const prompt = passwordPrompt(page);
  await expect(prompt).toBeVisible();
  await expect(prompt).toContainText("sets another administrator's password");
  await prompt.getByLabel("Your password").fill(E2E_ADMIN.password);
  await prompt.getByRole("button", { name: "Confirm" }).click();
  await expect(row.getByText(/their sessions were ended and they must change it/)).toBeVisible();
  await otherPage.goto("/settings/general");
  await expect(otherPage).toHaveURL(/\/sign-in/);
  await signInThroughForm(otherPage, other.email, "Olive-reset-secret-5150");
  await expect(otherPage).toHaveURL(/\/settings\/account$/);
  await expect(otherPage.getByTestId("must-change-password")).toBeVisible();

  // Removed: their session ends at once, and they cannot sign in again.
  await confirmPasswordWhenAsked(page);
  await page.reload();
  await row.getByRole("button", { name: `Remove ${other.email}` }).click();
  await row.getByRole("button", { name: "Yes, remove" }).click();
  await expect(page.getByTestId(`admin-${other.email}`)).toHaveCount(0);
  await otherPage.goto("/settings/account");
  await expect(otherPage).toHaveURL(/\/sign-in/);
  await context.close();
});

test("your account: change your password, list your sessions, sign out another one and everywhere else", async ({
  page,
  browser,
}) => {
  const me = { name: "Sam Sessions", email: uniqueEmail("sessions"), password: "Sam-initial-secret-314" };
  await addWithInitialPassword(page, me);
  const first = await signedInContext(browser, me.email, me.password);
  const change = first.page.getByRole("form", { name: "Change your password" });
  await change.getByLabel("Current password").fill(me.password);
  await change.getByLabel("New password").fill("short");
  await change.getByRole("button", { name: "Change password" }).click();
  await expect(first.page.locator("#newPassword-error")).toHaveText(/at least 12 characters/);
  await change.getByLabel("New password").fill("qwertyuiop123");
  await change.getByRole("button", { name: "Change password" }).click();
  await expect(first.page.locator("#newPassword-error")).toHaveText(/too easy to guess/);
  await change.getByLabel("New password").fill("Sam-own-passphrase-2718");
  await change.getByRole("button", { name: "Change password" }).click();
  await expect(first.page).toHaveURL(/\/settings\/email$/);

  const second = await signedInContext(browser, me.email, "Sam-own-passphrase-2718");
  const third = await signedInContext(browser, me.email, "Sam-own-passphrase-2718");
  await first.page.goto("/settings/account");
  const rows = first.page.getByTestId("session-row");
  await expect(rows).toHaveCount(3);
  await expect(rows.filter({ hasText: "(this session)" })).toHaveCount(1);
  await expect(rows.first()).toContainText(/Chrome \d+ on \w+/);
  await rows
    .filter({ hasNotText: "(this session)" })
    .first()
    .getByRole("button", { name: /Sign out this session/ })
    .click();
  await expect(first.page.getByText("That session was signed out.")).toBeVisible();
  await expect(rows).toHaveCount(2);
  // One of the two others is signed out now; the other still works until "everywhere else".
  const stillIn = [];
  for (const other of [second, third]) {
    await other.page.goto("/settings/general");
    if (/\/settings\/general$/.test(other.page.url())) stillIn.push(other);
  }
  expect(stillIn).toHaveLength(1);
  await first.page.getByRole("button", { name: "Sign out everywhere else" }).click();
  await expect(first.page.getByText("Your other sessions were signed out.")).toBeVisible();
  await expect(rows).toHaveCount(1);
  await stillIn[0]!.page.goto("/settings/general");
  await expect(stillIn[0]!.page).toHaveURL(/\/sign-in/);
  await first.page.goto("/settings/general");
  await expect(first.page).toHaveURL(/\/settings\/general$/);
  for (const c of [first, second, third]) await c.context.close();
});

test("every change above is in the audit trail, in plain language", async ({ page }) => {
  for (const [event, label] of [
    ["admin.invited", "Administrator invited (single-use link)"],
    ["admin.invitation_revoked", "Administrator invitation revoked"],
    ["admin.created", "Administrator created"],
    ["admin.password_reset", "Administrator password reset"],
    ["admin.removed", "Administrator removed"],
    ["admin.password_changed", "Administrator changed their password"],
    ["admin.session_revoked", "Session signed out"],
    ["admin.other_sessions_revoked", "Signed out everywhere else"],
  ] as const) {
    await page.goto(`/settings/audit?event=${event}`);
    await expect(page.getByTestId("audit-table").getByText(label).first(), event).toBeVisible();
  }
  await page.goto("/settings/audit?event=admin.invited");
  await expect(page.getByTestId("audit-table")).toContainText("Mailed: no");
});

for (const colorScheme of ["light", "dark"] as const) {
  test(`the invitation form (a usable link) at 390 px, ${colorScheme}: axe clean, no sideways scroll`, async ({
    page,
    browser,
  }) => {
    const email = uniqueEmail(`a11y-${colorScheme}`);
    await page.goto("/settings/admins");
    const inviteForm = page.getByRole("form", { name: "Invite by link" });
    await inviteForm.getByLabel("Their email").fill(email);
    await inviteForm.getByRole("button", { name: "Create invitation link" }).click();
    const dialog = page.getByRole("dialog", { name: `Invitation link for ${email}` });
    await expect(dialog).toBeVisible();
    await expectAccessible(page, `invitation dialog, ${colorScheme}`);
    const link = (await dialog.getByTestId("invitation-link").textContent())!.trim();
    const context = await browser.newContext({
      storageState: { cookies: [], origins: [] },
      viewport: { width: 390, height: 900 },
      colorScheme,
    });
    const invitePage = await context.newPage();
    await invitePage.goto(new URL(link).pathname);
    await invitePage.getByRole("button", { name: "Create my account" }).click(); // the errors' state too
    await expect(invitePage.getByTestId("error-summary")).toBeVisible();
    await expectAccessible(invitePage, `invitation page, ${colorScheme}`);
    const { scrollWidth, innerWidth } = await invitePage.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
    }));
    expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
    await context.close();
  });
}
