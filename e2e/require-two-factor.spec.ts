import { expect, test } from "./support/csp-fixture";
import { createTestAdmin, enrolTwoFactor, signInWithPassword, withAppDb } from "./support/admin-accounts";
import { passwordPrompt } from "./support/password-prompt";
import { captureServerAction } from "./support/server-actions";

// Separate administrators; the setting is switched off again at the end (and in afterAll, whatever happens),
// so E2E_ADMIN and the other specs are never sent to enrolment.
test.use({ storageState: { cookies: [], origins: [] } });
test.afterAll(() => {
  withAppDb((db) => db.prepare(`UPDATE "GeneralSettings" SET "requireTwoFactor" = 0`).run());
});

/** Moves this admin's sign-in and last password confirmation 6 minutes back (the other admins' sessions untouched). */
function ageOwnConfirmation(email: string, minutes: number): void {
  withAppDb((db) => {
    const shift = (value: unknown) => {
      const at = new Date(typeof value === "number" ? value : String(value)).getTime() - minutes * 60_000;
      return typeof value === "number" ? at : new Date(at).toISOString();
    };
    const sessions = db
      .prepare(
        `SELECT s.id AS id, s."createdAt" AS at FROM "session" s JOIN "user" u ON u.id = s."userId" WHERE u.email = ?`,
      )
      .all(email) as { id: string; at: unknown }[];
    for (const s of sessions) {
      db.prepare(`UPDATE "session" SET "createdAt" = ? WHERE id = ?`).run(shift(s.at), s.id);
      const confirmation = db
        .prepare(`SELECT "confirmedAt" AS at FROM "PasswordConfirmation" WHERE "sessionId" = ?`)
        .get(s.id) as { at: unknown } | undefined;
      if (confirmation) {
        db.prepare(`UPDATE "PasswordConfirmation" SET "confirmedAt" = ? WHERE "sessionId" = ?`).run(
          shift(confirmation.at),
          s.id,
        );
      }
    }
  });
}

test("require two-factor: an unenrolled admin is sent to enrolment and every action and route is refused", async ({
  browser,
}) => {
  const owner = createTestAdmin("req-owner");
  const other = createTestAdmin("req-other");
  const ownerPage = await (await browser.newContext({ storageState: { cookies: [], origins: [] } })).newPage();
  const otherPage = await (await browser.newContext({ storageState: { cookies: [], origins: [] } })).newPage();

  await signInWithPassword(ownerPage, owner);
  await expect(ownerPage).toHaveURL(/\/settings\/general$/);
  // The switch is refused to an admin who has no two-factor themselves.
  await ownerPage.getByLabel("Require two-factor sign-in for every administrator").check();
  await ownerPage.getByRole("button", { name: "Apply sign-in requirement" }).click();
  await expect(
    ownerPage.getByRole("alert").filter({ hasText: "Set up two-factor sign-in for your own account first" }),
  ).toBeVisible();

  // The other admin saves General Settings once (the action call is kept to replay it later).
  await signInWithPassword(otherPage, other);
  await expect(otherPage).toHaveURL(/\/settings\/general$/);
  let body = "";
  otherPage.on("request", (r) => {
    if (r.headers()["next-action"] && !body) body = r.postData() ?? "";
  });
  const saveCall = await captureServerAction(otherPage, () =>
    otherPage.getByRole("button", { name: "Save", exact: true }).click(),
  );
  await expect(otherPage.getByText(/Saved \(nothing had changed\)|General Settings saved/).first()).toBeVisible();

  // The owner enrols, then switches the requirement on: the password is asked again (last typed > 5 min ago).
  await enrolTwoFactor(ownerPage, owner);
  await ownerPage.goto("/settings/general");
  ageOwnConfirmation(owner.email, 6);
  await ownerPage.getByLabel("Require two-factor sign-in for every administrator").check();
  await ownerPage.getByRole("button", { name: "Apply sign-in requirement" }).click();
  const prompt = passwordPrompt(ownerPage);
  await prompt.getByLabel("Your password").fill(owner.password);
  await prompt.getByRole("button", { name: "Confirm" }).click();
  await expect(ownerPage.getByText("Two-factor sign-in is now required for every administrator.")).toBeVisible();

  // The other admin: every page leads to enrolment (full loads and client-side navigations).
  await otherPage.goto("/settings/email");
  await expect(otherPage).toHaveURL(/\/settings\/two-factor$/);
  await expect(otherPage.getByTestId("two-factor-required")).toBeVisible();
  await otherPage.getByRole("link", { name: "Audit trail" }).click();
  await expect(otherPage).toHaveURL(/\/settings\/two-factor$/);
  // An action: refused with the reason, nothing saved.
  const replay = await otherPage.request.post(saveCall.url, { headers: saveCall.headers, data: body });
  expect(await replay.text()).toContain("Two-factor sign-in is required for every administrator");
  // A route: 403 with the reason.
  const exported = await otherPage.request.get("/settings/audit/export");
  expect(exported.status()).toBe(403);
  expect((await exported.json()).error).toContain("Two-factor sign-in is required for every administrator");

  // Once enrolled, the other admin reaches the pages again.
  await enrolTwoFactor(otherPage, other);
  await otherPage.goto("/settings/email");
  await expect(otherPage).toHaveURL(/\/settings\/email$/);

  // Off again (the owner's confirmation is fresh); the change is in the audit trail.
  await ownerPage.getByLabel("Require two-factor sign-in for every administrator").uncheck();
  await ownerPage.getByRole("button", { name: "Apply sign-in requirement" }).click();
  await expect(ownerPage.getByText("Two-factor sign-in is no longer required.")).toBeVisible();
  await ownerPage.goto("/settings/audit");
  const changes = ownerPage
    .getByTestId("audit-table")
    .getByRole("row")
    .filter({ hasText: "Two-factor requirement changed" });
  await expect(changes.filter({ hasText: "off → on" })).toHaveCount(1);
  await expect(changes.filter({ hasText: "on → off" })).toHaveCount(1);
  await ownerPage.context().close();
  await otherPage.context().close();
});
