"use server";
import { headers } from "next/headers";
import { revalidatePath } from "next/cache";
import { isAPIError } from "better-auth/api";
import { auth } from "@/lib/auth/auth";
import { adminAction } from "@/lib/auth/guard";
import { recordAudit } from "@/lib/audit/audit-log";
import { requestFacts } from "@/lib/audit/request-facts";
import { twoFactorCodeSchema, twoFactorPasswordSchema } from "@/lib/auth/client-safe/two-factor-schema";
import type { TwoFactorEnrolment } from "@/lib/auth/client-safe/two-factor-schema";
import { enrolmentView } from "@/lib/auth/two-factor-enrolment";
import { twoFactorRequired } from "@/lib/auth/two-factor-requirement";

const WRONG_PASSWORD = {
  ok: false as const,
  error: "That is not your password. Nothing was changed.",
  fieldErrors: { password: "That is not your password: try again." },
};

/** Step 1: the password, then a new secret and ten backup codes (not active until a first code confirms them). */
export const startTwoFactorEnrolmentAction = adminAction(
  "startTwoFactorEnrolment",
  twoFactorPasswordSchema,
  async ({ password }, admin) => {
    if (admin.twoFactorEnabled) return { ok: false, error: "Two-factor sign-in is already on for your account." };
    const requestHeaders = await headers();
    try {
      const enabled = await auth.api.enableTwoFactor({
        body: { password, method: "totp" },
        headers: requestHeaders,
      });
      if (enabled.method !== "totp") throw new Error("The two-factor library returned no secret.");
      const data: TwoFactorEnrolment = await enrolmentView(enabled.totpURI, enabled.backupCodes);
      return { ok: true, data };
    } catch (error) {
      if (!isAPIError(error)) throw error;
      await recordAudit(admin, {
        action: "admin.password_confirmation_failed",
        target: admin.email,
        details: { ...requestFacts(requestHeaders), reason: "two-factor enrolment" },
      });
      return WRONG_PASSWORD;
    }
  },
);

/** Step 2: a first code from the app turns two-factor on (the library then renews the session). */
export const confirmTwoFactorEnrolmentAction = adminAction(
  "confirmTwoFactorEnrolment",
  twoFactorCodeSchema,
  async ({ code }, admin) => {
    const requestHeaders = await headers();
    try {
      await auth.api.verifyTOTP({ body: { code }, headers: requestHeaders });
    } catch (error) {
      if (!isAPIError(error)) throw error;
      await recordAudit(admin, {
        action: "auth.two_factor_failed",
        target: admin.email,
        details: { ...requestFacts(requestHeaders), method: "authenticator code", reason: "enrolment confirmation" },
      });
      return {
        ok: false,
        error: "That code is not right. Check the time on your phone and try the current code.",
        fieldErrors: { code: "That code is not right: enter the current 6-digit code." },
      };
    }
    await recordAudit(admin, {
      action: "auth.two_factor_enabled",
      target: admin.email,
      details: requestFacts(requestHeaders),
    });
    revalidatePath("/settings", "layout");
    return { ok: true, message: "Two-factor sign-in is on." };
  },
);

/** Turn two-factor off (asks the password); refused while it is required for every administrator. */
export const disableTwoFactorAction = adminAction(
  "disableTwoFactor",
  twoFactorPasswordSchema,
  async ({ password }, admin) => {
    if (await twoFactorRequired()) {
      return {
        ok: false,
        error:
          "Two-factor sign-in is required for every administrator, so it cannot be turned off. Nothing was changed.",
      };
    }
    const requestHeaders = await headers();
    try {
      await auth.api.disableTwoFactor({ body: { password }, headers: requestHeaders });
    } catch (error) {
      if (!isAPIError(error)) throw error;
      return WRONG_PASSWORD;
    }
    await recordAudit(admin, {
      action: "auth.two_factor_disabled",
      target: admin.email,
      details: requestFacts(requestHeaders),
    });
    revalidatePath("/settings", "layout");
    return { ok: true, message: "Two-factor sign-in is off." };
  },
);
