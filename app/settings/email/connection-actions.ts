"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { adminAction } from "@/lib/auth/guard";
import { confirmationNeeded, confirmedRecently } from "@/lib/auth/password-confirmation";
import { recordAudit } from "@/lib/audit/audit-log";
import { deleteConnection } from "@/lib/microsoft/connection-repository";
import { mailRoleSchema, roleAccount, rolesForAccount, ROLE_LABELS } from "@/lib/microsoft/client-safe/mail-roles";
import { getEmailSettings } from "@/lib/settings/email-repository";

/** Disconnect: deletes the stored Microsoft tokens of the role's account (shared by both roles when one account serves both). */
export const disconnectMicrosoftAction = adminAction(
  "disconnectMicrosoft",
  z.object({ role: mailRoleSchema }),
  async ({ role }, admin) => {
    const settings = await getEmailSettings();
    const account = roleAccount(settings, role);
    if (!account) return { ok: false, error: `${ROLE_LABELS[role].mailboxField} is not set: nothing to disconnect.` };
    if (!(await confirmedRecently(admin))) return confirmationNeeded();
    const deleted = await deleteConnection(account);
    if (!deleted) return { ok: true, message: `${account} was not connected.` };
    const roles = rolesForAccount(settings, account);
    await recordAudit(admin, {
      action: "microsoft.disconnected",
      target: account,
      details: { roles: roles.length ? roles : [role] },
    });
    revalidatePath("/settings", "layout");
    return { ok: true, message: `Disconnected ${account}: its stored Microsoft tokens were deleted.` };
  },
);

/**
 * Check sign-in: refreshes the role's token now (rotating and storing the refresh token), so an
 * admin sees at once whether Microsoft still accepts the stored authorization.
 */
export const checkMicrosoftSignInAction = adminAction(
  "checkMicrosoftSignIn",
  z.object({ role: mailRoleSchema }),
  async ({ role }) => {
    const { acquireMailToken } = await import("@/lib/microsoft/mail-token");
    const { MicrosoftTokenError, NeedsReauthorizationError, NotConnectedError } = await import(
      "@/lib/microsoft/errors/token-errors"
    );
    try {
      const token = await acquireMailToken(role, { forceRefresh: true, purpose: "refresh" });
      revalidatePath("/settings", "layout");
      return {
        ok: true,
        message: `Microsoft accepted the stored sign-in of ${token.signedInAs} and issued a fresh token.`,
      };
    } catch (error) {
      revalidatePath("/settings", "layout");
      if (
        error instanceof NeedsReauthorizationError ||
        error instanceof NotConnectedError ||
        error instanceof MicrosoftTokenError
      ) {
        return { ok: false, error: error.message };
      }
      throw error;
    }
  },
);
