import "server-only";
import type { Admin } from "@/lib/auth/session";
import { db } from "@/lib/db/client";

/**
 * An administrator whose password another administrator set (an initial or reset password) must
 * change it before anything else (lib/auth/first-steps.ts).
 */
export const CHANGE_PASSWORD_PAGE = "/settings/account";

export async function mustChangePassword(admin: Admin): Promise<boolean> {
  const user = await db.user.findUnique({ where: { id: admin.id }, select: { mustChangePassword: true } });
  return user?.mustChangePassword === true;
}

export const PASSWORD_CHANGE_FIRST = "Change your password first: an administrator set it for you.";

/** Done: the admin chose their own password. */
export async function passwordChanged(userId: string): Promise<void> {
  await db.user.updateMany({ where: { id: userId }, data: { mustChangePassword: false } });
}
