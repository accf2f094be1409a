"use server";
import { headers } from "next/headers";
import { revalidatePath } from "next/cache";
import { isAPIError } from "better-auth/api";
import { auth } from "@/lib/auth/auth";
import { adminAction } from "@/lib/auth/guard";
import { passwordChanged } from "@/lib/auth/password-change-required";
import { weakPasswordResult } from "@/lib/auth/password-strength";
import { recordAudit } from "@/lib/audit/audit-log";
import { readableAddress, readableUserAgent } from "@/lib/admins/user-agent";
import {
  changePasswordSchema,
  revokeOtherSessionsSchema,
  revokeSessionSchema,
} from "@/lib/admins/client-safe/account-schemas";

/** Your password: the current one is checked by the auth library; the new one must pass the strength rule. */
export const changeOwnPasswordAction = adminAction(
  "changeOwnPassword",
  changePasswordSchema,
  async ({ currentPassword, newPassword, signOutOthers }, admin) => {
    const weak = weakPasswordResult("newPassword", newPassword, [admin.email, admin.name]);
    if (weak) return weak;
    const requestHeaders = await headers();
    try {
      await auth.api.changePassword({ body: { currentPassword, newPassword }, headers: requestHeaders });
    } catch (error) {
      if (!isAPIError(error)) throw error;
      return {
        ok: false,
        error: "Some fields need attention.",
        fieldErrors: { currentPassword: "That is not your current password" },
      };
    }
    await passwordChanged(admin.id);
    if (signOutOthers) await auth.api.revokeOtherSessions({ headers: requestHeaders });
    await recordAudit(admin, {
      action: "admin.password_changed",
      target: admin.email,
      details: { reason: signOutOthers ? "other sessions signed out" : null },
    });
    revalidatePath("/settings", "layout");
    return {
      ok: true,
      message: signOutOthers ? "Password changed; your other sessions were signed out." : "Password changed.",
    };
  },
);

/** Signs out one of your other sessions (found by id among your own: its token stays on the server). */
export const revokeSessionAction = adminAction("revokeSession", revokeSessionSchema, async ({ sessionId }, admin) => {
  const requestHeaders = await headers();
  const sessions = await auth.api.listSessions({ headers: requestHeaders });
  const session = sessions.find((s) => s.id === sessionId);
  if (!session) return { ok: false, error: "That session has already ended." };
  if (session.id === admin.sessionId) return { ok: false, error: "This is the session you are using: use Sign out." };
  await auth.api.revokeSession({ body: { token: session.token }, headers: requestHeaders });
  await recordAudit(admin, {
    action: "admin.session_revoked",
    target: admin.email,
    // The session's browser and address as separate facts: the audit retention blanks them after 90 days.
    details: { userAgent: readableUserAgent(session.userAgent), address: readableAddress(session.ipAddress) },
  });
  revalidatePath("/settings/account");
  return { ok: true, message: "That session was signed out." };
});

export const revokeOtherSessionsAction = adminAction(
  "revokeOtherSessions",
  revokeOtherSessionsSchema,
  async (_input, admin) => {
    const requestHeaders = await headers();
    const others = (await auth.api.listSessions({ headers: requestHeaders })).filter((s) => s.id !== admin.sessionId);
    await auth.api.revokeOtherSessions({ headers: requestHeaders });
    await recordAudit(admin, {
      action: "admin.other_sessions_revoked",
      target: admin.email,
      details: { reason: `${others.length} ${others.length === 1 ? "session" : "sessions"} signed out` },
    });
    revalidatePath("/settings/account");
    return {
      ok: true,
      message: others.length ? "Your other sessions were signed out." : "There were no other sessions.",
    };
  },
);
