import "@/lib/http/client-safe/zod-without-eval"; // first: before any schema is built
import { z } from "zod";
import { adminAccountFields } from "@/lib/auth/client-safe/admin-schema";

/** Your account: change your password (the current one is required). */
export const changePasswordSchema = z
  .object({
    currentPassword: z
      .string({ error: "Enter your current password" })
      .min(1, "Enter your current password")
      .max(128, "Password must be at most 128 characters"),
    newPassword: adminAccountFields.password,
    signOutOthers: z.boolean({ error: "Choose whether to sign out your other sessions" }),
  })
  .refine((v) => v.newPassword !== v.currentPassword, {
    path: ["newPassword"],
    message: "The new password must differ from the current one",
  });
export type ChangePasswordInput = z.input<typeof changePasswordSchema>;

/** Sign out one of your sessions (by its id: a session's token never reaches the browser). */
export const revokeSessionSchema = z.object({
  sessionId: z.string({ error: "Missing a session" }).min(1, "Missing a session").max(200, "Not a session"),
});

/** Sign out everywhere else: an explicit yes, so an empty request does nothing. */
export const revokeOtherSessionsSchema = z.object({
  everywhereElse: z.literal(true, { error: "Confirm signing out your other sessions" }),
});
