import "server-only";
import type { Admin } from "@/lib/auth/session";
import { db } from "@/lib/db/client";

/**
 * An administrator whose password another administrator set (an initial or reset password) must
 * change it before anything else (lib/auth/first-steps.ts).
 */
export const CHANGE_PASSWORD_PAGE = "/settings/account";

/** Read with the session (lib/auth/session.ts): the request's own answer, no second read. */
export function mustChangePassword(admin: Admin): boolean {
  return admin.mustChangePassword === true;
}

export const PASSWORD_CHANGE_FIRST = "Change your password first: an administrator set it for you.";

/** Done: the admin chose their own password. */
export async function passwordChanged(userId: string): Promise<void> {
  await db.user.updateMany({ where: { id: userId }, data: { mustChangePassword: false } });
}
