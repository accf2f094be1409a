import "server-only";
import type { Admin } from "@/lib/auth/session";
import { db } from "@/lib/db/client";

/** Where an administrator sets up two-factor sign-in. */
export const TWO_FACTOR_PAGE = "/settings/two-factor";

/** What the guard answers an action or route while two-factor is required and not set up. */
export const TWO_FACTOR_REQUIRED =
  "Two-factor sign-in is required for every administrator: set it up first (Settings → Two-factor sign-in). Nothing was changed.";

/** The actions an administrator can use while sent to enrolment (setting it up, the password prompt). */
const ALLOWED_WHILE_ENROLLING = new Set(["startTwoFactorEnrolment", "confirmTwoFactorEnrolment", "confirmPassword"]);

export async function twoFactorRequired(): Promise<boolean> {
  const row = await db.generalSettings.findUnique({ where: { id: 1 }, select: { requireTwoFactor: true } });
  return Boolean(row?.requireTwoFactor);
}

/** Whether this admin must set up two-factor before anything else (the setting is on, they have none). */
export async function mustEnrolTwoFactor(admin: Admin): Promise<boolean> {
  return !admin.twoFactorEnabled && (await twoFactorRequired());
}

/** The page to send the admin to instead of `path`, or null (a page of unknown path is left to the page's own check). */
export async function twoFactorPageRedirect(admin: Admin, path: string | null): Promise<string | null> {
  if (!path || path === TWO_FACTOR_PAGE || path.startsWith(`${TWO_FACTOR_PAGE}?`)) return null;
  return (await mustEnrolTwoFactor(admin)) ? TWO_FACTOR_PAGE : null;
}

/** The refusal of an action (by its guard name) while the admin must enrol, or null. */
export async function twoFactorActionRefusal(admin: Admin, actionName: string): Promise<string | null> {
  if (ALLOWED_WHILE_ENROLLING.has(actionName)) return null;
  return (await mustEnrolTwoFactor(admin)) ? TWO_FACTOR_REQUIRED : null;
}

/** Saves the setting (its own column of the General Settings row: the Server Base URL form's version is untouched). */
export async function saveTwoFactorRequired(required: boolean, actorEmail: string): Promise<void> {
  await db.generalSettings.upsert({
    where: { id: 1 },
    create: { id: 1, requireTwoFactor: required, updatedBy: actorEmail },
    update: { requireTwoFactor: required },
  });
}
