import "server-only";
import type { Admin } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { generalSettingsForRequest } from "@/lib/settings/general-repository";

/** Where an administrator sets up two-factor sign-in. */
export const TWO_FACTOR_PAGE = "/settings/two-factor";

/** What the guard answers an action or route while two-factor is required and not set up. */
export const TWO_FACTOR_REQUIRED =
  "Two-factor sign-in is required for every administrator: set it up first (Settings → Two-factor sign-in). Nothing was changed.";

/** The General Settings row's switch, from the request's one read of that row (a render reads it once). */
export async function twoFactorRequired(): Promise<boolean> {
  return (await generalSettingsForRequest()).requireTwoFactor;
}

/** Whether this admin must set up two-factor before anything else (the setting is on, they have none). */
export async function mustEnrolTwoFactor(admin: Admin): Promise<boolean> {
  return !admin.twoFactorEnabled && (await twoFactorRequired());
}

/** Saves the setting (its own column of the General Settings row: the Server Base URL form's version is untouched). */
export async function saveTwoFactorRequired(required: boolean, actorEmail: string): Promise<void> {
  await db.generalSettings.upsert({
    where: { id: 1 },
    create: { id: 1, requireTwoFactor: required, updatedBy: actorEmail },
    update: { requireTwoFactor: required },
  });
}
