import "@/lib/http/client-safe/zod-without-eval"; // first: before any schema is built
import { z } from "zod";
import { adminAccountFields } from "@/lib/auth/client-safe/admin-schema";

/**
 * The Administrators page's forms, one schema each, shared by the form, its action and the repository.
 * Passwords: at least 12 characters here; the server also refuses easy-to-guess ones (lib/auth/password-strength.ts).
 */
const id = (what: string) =>
  z
    .string({ error: `Missing ${what}` })
    .min(1, `Missing ${what}`)
    .max(100, `Not ${what}`);

/** Add an administrator by a single-use link (72 hours): their address only; they choose name and password. */
export const inviteAdminSchema = z.object({ email: adminAccountFields.email });
export type InviteAdminInput = z.input<typeof inviteAdminSchema>;

/** Add an administrator with an initial password, which they must change at their first sign-in. */
export const addAdminWithPasswordSchema = z.object(adminAccountFields);
export type AddAdminWithPasswordInput = z.input<typeof addAdminWithPasswordSchema>;

export const revokeInvitationSchema = z.object({ invitationId: id("an invitation") });
export const removeAdminSchema = z.object({ userId: id("an administrator") });

/** Another administrator's new password, which they must change at their next sign-in. */
export const resetAdminPasswordSchema = z.object({
  userId: id("an administrator"),
  password: adminAccountFields.password,
});
export type ResetAdminPasswordInput = z.input<typeof resetAdminPasswordSchema>;

/** The invitation page: the token from the link, and the new administrator's name and password. */
export const acceptInvitationSchema = z.object({
  token: z
    .string({ error: "This link is not valid" })
    .trim()
    .min(1, "This link is not valid")
    .max(100, "This link is not valid"),
  name: adminAccountFields.name,
  password: adminAccountFields.password,
});
export type AcceptInvitationInput = z.input<typeof acceptInvitationSchema>;
