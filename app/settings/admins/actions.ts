"use server";
import { headers } from "next/headers";
import { revalidatePath } from "next/cache";
import { adminAction } from "@/lib/auth/guard";
import { confirmationNeeded, confirmedRecently } from "@/lib/auth/password-confirmation";
import { createAdmin, resetAdminPassword } from "@/lib/auth/admin-accounts";
import { weakPasswordResult } from "@/lib/auth/password-strength";
import { recordAudit } from "@/lib/audit/audit-log";
import { findAdmin, removeAdmin } from "@/lib/admins/admin-directory";
import { createInvitation, revokeInvitation } from "@/lib/admins/invitations";
import { invitationLink, invitationMessage } from "@/lib/admins/invitation-message";
import {
  addAdminWithPasswordSchema,
  inviteAdminSchema,
  removeAdminSchema,
  resetAdminPasswordSchema,
  revokeInvitationSchema,
} from "@/lib/admins/client-safe/admin-schemas";
import { emailTo } from "@/lib/mail/notify-admins";
import { getGeneralSettings } from "@/lib/settings/general-repository";
import { db } from "@/lib/db/client";

export type InvitationCreated = {
  link: string;
  expiresAt: string;
  email: string;
  mailed: boolean;
  mailProblem?: string;
};

/** Where links point: the Server Base URL, else the origin this admin is using (the server only answers known hosts). */
async function linkBase(): Promise<string> {
  const saved = (await getGeneralSettings()).serverBaseUrl;
  return saved ?? `https://${(await headers()).get("host") ?? "localhost"}`;
}

/** A single-use link (72 hours), shown to copy and mailed when the configured SMTP works. */
export const inviteAdminAction = adminAction("inviteAdmin", inviteAdminSchema, async ({ email }, admin) => {
  const invitation = await createInvitation(email, admin);
  const link = invitationLink(await linkBase(), invitation.token);
  const message = invitationMessage({ link, expiresAt: invitation.expiresAt, invitedBy: admin.name || admin.email });
  const mail = await emailTo([email], message.subject, message.text);
  await recordAudit(admin, {
    action: "admin.invited",
    target: email,
    details: { expires: invitation.expiresAt.toISOString(), mailed: mail.sent, reason: mail.sent ? null : mail.reason },
  });
  revalidatePath("/settings/admins");
  return {
    ok: true,
    message: mail.sent ? `Invitation mailed to ${email}.` : `Invitation created for ${email}; it could not be mailed.`,
    data: {
      link,
      email,
      expiresAt: invitation.expiresAt.toISOString(),
      mailed: mail.sent,
      mailProblem: mail.sent ? undefined : mail.reason,
    } satisfies InvitationCreated,
  };
});

/** An administrator with an initial password chosen here, to be changed at their first sign-in. */
export const addAdminWithPasswordAction = adminAction(
  "addAdminWithPassword",
  addAdminWithPasswordSchema,
  async ({ name, email, password }, admin) => {
    const weak = weakPasswordResult("password", password, [email, name]);
    if (weak) return weak;
    if (await db.user.findUnique({ where: { email } })) {
      return {
        ok: false,
        error: "Some fields need attention.",
        fieldErrors: { email: `${email} is already an administrator` },
      };
    }
    await createAdmin({ name, email, password, createdBy: admin, mustChangePassword: true });
    await recordAudit(admin, { action: "admin.created", target: email, details: { via: "initial password" } });
    revalidatePath("/settings/admins");
    return {
      ok: true,
      message: `${email} can sign in with this password now; they will be asked to choose their own.`,
    };
  },
);

export const revokeInvitationAction = adminAction(
  "revokeInvitation",
  revokeInvitationSchema,
  async ({ invitationId }, admin) => {
    const email = await revokeInvitation(invitationId);
    if (!email) return { ok: false, error: "That invitation is no longer pending (used, revoked or expired)." };
    await recordAudit(admin, { action: "admin.invitation_revoked", target: email });
    revalidatePath("/settings/admins");
    return { ok: true, message: `The invitation for ${email} was revoked: its link no longer works.` };
  },
);

/** Removes another administrator (never the last) and ends their sessions; asks for the password after 5 minutes. */
export const removeAdminAction = adminAction("removeAdmin", removeAdminSchema, async ({ userId }, admin) => {
  const target = await findAdmin(userId);
  if (!target) return { ok: false, error: "That administrator was already removed." };
  if (target.id === admin.id) {
    return { ok: false, error: "You cannot remove yourself: another administrator can." };
  }
  if (!(await confirmedRecently(admin))) return confirmationNeeded();
  const email = await removeAdmin(userId);
  await recordAudit(admin, { action: "admin.removed", target: email });
  revalidatePath("/settings/admins");
  return { ok: true, message: `${email} was removed; their sessions were ended.` };
});

/** Sets another administrator's password (they must change it at their next sign-in) and ends their sessions. */
export const resetAdminPasswordAction = adminAction(
  "resetAdminPassword",
  resetAdminPasswordSchema,
  async ({ userId, password }, admin) => {
    const target = await findAdmin(userId);
    if (!target) return { ok: false, error: "That administrator was removed." };
    if (target.id === admin.id) {
      return { ok: false, error: "Change your own password under Your account (it asks for the current one)." };
    }
    const weak = weakPasswordResult("password", password, [target.email, target.name]);
    if (weak) return weak;
    if (!(await confirmedRecently(admin))) return confirmationNeeded();
    await resetAdminPassword(target.email, password, { mustChangePassword: true });
    await recordAudit(admin, {
      action: "admin.password_reset",
      target: target.email,
      details: { via: "Administrators page" },
    });
    revalidatePath("/settings/admins");
    return {
      ok: true,
      message: `New password set for ${target.email}; their sessions were ended and they must change it at sign-in.`,
    };
  },
);
