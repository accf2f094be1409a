"use server";
import { headers } from "next/headers";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { adminAction } from "@/lib/auth/guard";
import { confirmationNeeded, confirmedRecently } from "@/lib/auth/password-confirmation";
import { recordAudit } from "@/lib/audit/audit-log";
import { requestFacts } from "@/lib/audit/request-facts";
import { saveTwoFactorRequired, twoFactorRequired } from "@/lib/auth/two-factor-requirement";

/** "Require two-factor for every administrator": asks the password again (older than 5 minutes), audited. */
export const saveRequireTwoFactorAction = adminAction(
  "saveRequireTwoFactor",
  z.object({ required: z.boolean({ error: "Choose on or off" }) }).strict(),
  async ({ required }, admin) => {
    const before = await twoFactorRequired();
    if (before === required) return { ok: true, message: "Saved (nothing had changed)." };
    if (required && !admin.twoFactorEnabled) {
      return {
        ok: false,
        error: "Set up two-factor sign-in for your own account first (Two-factor sign-in page). Nothing was changed.",
      };
    }
    if (!(await confirmedRecently(admin))) return confirmationNeeded();
    await saveTwoFactorRequired(required, admin.email);
    await recordAudit(admin, {
      action: "settings.require_two_factor.saved",
      target: "General Settings",
      details: {
        changed: ["requireTwoFactor"],
        values: { requireTwoFactor: { from: before ? "on" : "off", to: required ? "on" : "off" } },
        ...requestFacts(await headers()),
      },
    });
    revalidatePath("/settings", "layout");
    return {
      ok: true,
      message: required
        ? "Two-factor sign-in is now required for every administrator."
        : "Two-factor sign-in is no longer required.",
    };
  },
);
