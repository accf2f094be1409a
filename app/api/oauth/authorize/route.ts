import { z } from "zod";
import { adminRoute } from "@/lib/auth/guard";
import { recordAudit } from "@/lib/audit/audit-log";
import { startAuthorization } from "@/lib/microsoft/authorize-url";
import { forBrowser, seeOther } from "@/lib/microsoft/browser-redirect";
import { problemLocation } from "@/lib/microsoft/callback";
import { mailRoleSchema } from "@/lib/microsoft/client-safe/mail-roles";
import { emailField } from "@/lib/settings/client-safe/fields";

export const dynamic = "force-dynamic";

/** The form of Authorize / Re-Authorize; "Use this account anyway" adds the alias and its confirmation box. */
const authorizeForm = z
  .object({
    role: mailRoleSchema,
    acceptAccount: z
      .union([z.literal("").optional(), emailField("Account").pipe(z.string())])
      .transform((alias) => alias || null),
    confirmAlias: z.string().optional(),
  })
  // The alias is used only with the explicit confirmation box ticked.
  .refine((form) => !form.acceptAccount || form.confirmAlias === "yes", "Confirm that this account signs in");

/**
 * POST /api/oauth/authorize (form field `role`, optional `acceptAccount` + `confirmAlias`):
 * Authorize / Re-Authorize. Answers 303 to Microsoft's sign-in page. POST only: nothing that
 * creates state is reachable by a GET (or by a cross-site form: the session cookie is SameSite=Lax).
 */
const guarded = adminRoute(
  "authorizeMicrosoft",
  authorizeForm,
  async ({ role, acceptAccount }, admin) => {
    const start = await startAuthorization(role, admin, acceptAccount);
    if ("blockers" in start) return seeOther(problemLocation("not_ready"));
    await recordAudit(admin, {
      action: "microsoft.authorize_started",
      target: start.account,
      details: { roles: start.roles, ...(acceptAccount ? { confirmedAlias: acceptAccount } : {}) },
    });
    return seeOther(start.url);
  },
  { invalid: () => seeOther(problemLocation("not_ready")) },
);

export async function POST(request: Request): Promise<Response> {
  return forBrowser(await guarded(request), "/settings/email");
}
