"use server";
import { headers } from "next/headers";
import { z } from "zod";
import { adminAction } from "@/lib/auth/guard";
import { confirmPassword } from "@/lib/auth/password-confirmation";
import { recordAudit } from "@/lib/audit/audit-log";

/** The password prompt's action: better-auth checks the password; the confirmation is recorded for this session. */
export const confirmPasswordAction = adminAction(
  "confirmPassword",
  z.object({
    password: z
      .string({ error: "Enter your password" })
      .min(1, "Enter your password")
      .max(128, "At most 128 characters"),
  }),
  async ({ password }, admin) => {
    if (await confirmPassword(admin, password, await headers())) return { ok: true, message: "Password confirmed." };
    await recordAudit(admin, { action: "admin.password_confirmation_failed", target: admin.email });
    return {
      ok: false,
      error: "That is not your password.",
      fieldErrors: { password: "That is not your password: try again." },
    };
  },
);
