"use server";
import { publicAction } from "@/lib/auth/guard";
import { createAdmin } from "@/lib/auth/admin-accounts";
import { weakPasswordResult } from "@/lib/auth/password-strength";
import { recordAudit } from "@/lib/audit/audit-log";
import {
  claimInvitation,
  findUsableInvitation,
  recordInvitationAccepted,
  releaseInvitation,
} from "@/lib/admins/invitations";
import { acceptInvitationSchema } from "@/lib/admins/client-safe/admin-schemas";

const INVALID_INVITATION =
  "This invitation link is not valid: it has expired (links last 72 hours), was used already, or was revoked. Ask an administrator for a new one.";

/**
 * Public, protected by the invitation's single-use token (stored hashed, 72 hours): creates the invited
 * administrator with the name and password they chose. Two submissions at once: one wins.
 */
export const acceptInvitationAction = publicAction(
  "acceptInvitation",
  acceptInvitationSchema,
  async ({ token, name, password }) => {
    const invitation = await findUsableInvitation(token);
    if (!invitation) return { ok: false, error: INVALID_INVITATION };
    const weak = weakPasswordResult("password", password, [invitation.email, name]);
    if (weak) return weak;
    const claimed = await claimInvitation(token);
    if (!claimed) return { ok: false, error: INVALID_INVITATION };
    let admin: { id: string; email: string };
    try {
      admin = await createAdmin({
        name,
        email: claimed.email,
        password,
        createdBy: { id: claimed.createdById, email: claimed.createdByEmail },
      });
    } catch (error) {
      await releaseInvitation(claimed.id); // let them try again
      throw error;
    }
    await recordInvitationAccepted(claimed.id, admin.id);
    await recordAudit(admin, {
      action: "admin.created",
      target: admin.email,
      details: { via: `invitation from ${claimed.createdByEmail}` },
    });
    return { ok: true, message: `Your administrator account ${admin.email} is ready: sign in.` };
  },
);
