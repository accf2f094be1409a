import { expect, test } from "./support/csp-fixture";
import { createTestAdmin, signInWithPassword, withAppDb } from "./support/admin-accounts";

/**
 * Idle timeout (30 min) and absolute lifetime (12 h), measured on the server: the test moves the
 * session's stored times into the past (the server's clock is never touched), then navigates.
 */
test.use({ storageState: { cookies: [], origins: [] } });

/** A stored time as milliseconds (the SQLite adapter keeps DateTime as ISO text or as a number). */
const msOf = (value: unknown) =>
  value === null ? null : new Date(typeof value === "number" ? value : String(value)).getTime();

function sessionTimes(email: string): { createdAt: number | null; lastActiveAt: number | null } {
  const row = withAppDb(
    (db) =>
      db
        .prepare(
          `SELECT s."createdAt" AS createdAt, s."lastActiveAt" AS lastActiveAt FROM "session" s JOIN "user" u ON u.id = s."userId" WHERE u.email = ?`,
        )
        .get(email) as { createdAt: unknown; lastActiveAt: unknown },
  );
  return { createdAt: msOf(row.createdAt), lastActiveAt: msOf(row.lastActiveAt) };
}

/** Moves the admin's session times into the past, written in the format the column already holds. */
function moveSession(email: string, change: { createdAgoMs?: number; activeAgoMs: number }): void {
  withAppDb((db) => {
    const now = Date.now();
    const rows = db
      .prepare(
        `SELECT s.rowid AS id, s."createdAt" AS createdAt FROM "session" s JOIN "user" u ON u.id = s."userId" WHERE u.email = ?`,
      )
      .all(email) as { id: number; createdAt: unknown }[];
    for (const row of rows) {
      const asStored = (ms: number) => (typeof row.createdAt === "number" ? ms : new Date(ms).toISOString());
      const created = change.createdAgoMs === undefined ? row.createdAt : asStored(now - change.createdAgoMs);
      db.prepare(`UPDATE "session" SET "lastActiveAt" = ?, "createdAt" = ? WHERE rowid = ?`).run(
        asStored(now - change.activeAgoMs),
        created,
        row.id,
      );
    }
  });
}

test("client-side navigations record activity; 30 minutes idle ends the session and the sign-in page says why", async ({
  page,
}) => {
  const admin = createTestAdmin("idle");
  await signInWithPassword(page, admin);
  await expect(page).toHaveURL(/\/settings\/general$/);

  // 10 minutes without activity, then a client-side navigation: the activity is written again.
  moveSession(admin.email, { activeAgoMs: 10 * 60_000 });
  await page.getByRole("link", { name: "Email Settings" }).click();
  await expect(page).toHaveURL(/\/settings\/email$/);
  await expect.poll(() => Date.now() - (sessionTimes(admin.email).lastActiveAt ?? 0)).toBeLessThan(60_000);

  // 31 minutes without activity: the next navigation signs out, with the reason.
  moveSession(admin.email, { activeAgoMs: 31 * 60_000 });
  await page.getByRole("link", { name: "Audit trail" }).click();
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fsettings%2Faudit&ended=idle$/);
  await expect(page.getByTestId("session-ended")).toHaveText(
    "You were signed out after 30 minutes without activity. Sign in again.",
  );
  expect(
    withAppDb((db) =>
      db
        .prepare(`SELECT count(*) AS n FROM "session" s JOIN "user" u ON u.id = s."userId" WHERE u.email = ?`)
        .get(admin.email),
    ),
  ).toEqual({ n: 0 });

  // Signed in again: the expiry is in the audit trail.
  await signInWithPassword(page, admin, "/settings/audit");
  await expect(page).toHaveURL(/\/settings\/audit$/);
  const rows = page.getByTestId("audit-table").getByRole("row").filter({ hasText: admin.email });
  await expect(
    rows.filter({ hasText: "Session ended by its time limit" }).filter({ hasText: "30 minutes without activity" }),
  ).toHaveCount(1);
});

test("12 hours after sign-in the session ends however active it is; an action says so too", async ({ page }) => {
  const admin = createTestAdmin("absolute");
  await signInWithPassword(page, admin);
  await expect(page).toHaveURL(/\/settings\/general$/);

  // An action: refused with the reason, nothing saved.
  moveSession(admin.email, { createdAgoMs: 12 * 60 * 60_000 + 1000, activeAgoMs: 1000 });
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByText("You were signed out after 12 hours; sign in again.").first()).toBeVisible();

  await signInWithPassword(page, admin);
  await expect(page).toHaveURL(/\/settings\/general$/);
  moveSession(admin.email, { createdAgoMs: 12 * 60 * 60_000 + 1000, activeAgoMs: 1000 });
  await page.reload();
  await expect(page).toHaveURL(/ended=absolute$/);
  await expect(page.getByTestId("session-ended")).toHaveText("You were signed out after 12 hours; sign in again.");
});
