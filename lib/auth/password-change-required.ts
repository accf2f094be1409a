import "server-only";
import type { Admin } from "@/lib/auth/session";
import { db } from "@/lib/db/client";

/**
 * An administrator whose password another administrator set (an initial or reset password) must
 * change it before anything else: the guard sends every page to this one and refuses every action
 * and route but these.
 */
export const CHANGE_PASSWORD_PAGE = "/settings/account";
const ALLOWED_ACTIONS = new Set(["changeOwnPassword"]);

export async function mustChangePassword(admin: Admin): Promise<boolean> {
  const user = await db.user.findUnique({ where: { id: admin.id }, select: { mustChangePassword: true } });
  return user?.mustChangePassword === true;
}

export const PASSWORD_CHANGE_FIRST = "Change your password first: an administrator set it for you.";

/**
 * Whether the pending password change blocks this request: a page other than the change-password page
 * (`page`: its path), an action other than changing the password (`action`: its name), any route.
 */
export async function passwordChangeBlocks(
  admin: Admin,
  request: { page: string | null | undefined } | { action: string } | { route: string },
): Promise<boolean> {
  if ("page" in request && (request.page ?? "").split(/[?#]/)[0] === CHANGE_PASSWORD_PAGE) return false;
  if ("action" in request && ALLOWED_ACTIONS.has(request.action)) return false;
  return mustChangePassword(admin);
}

/** Done: the admin chose their own password. */
export async function passwordChanged(userId: string): Promise<void> {
  await db.user.updateMany({ where: { id: userId }, data: { mustChangePassword: false } });
}
