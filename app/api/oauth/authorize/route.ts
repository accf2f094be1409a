import { adminRoute } from "@/lib/auth/guard";
import { recordAudit } from "@/lib/audit/audit-log";
import { startAuthorization } from "@/lib/microsoft/authorize-url";
import { forBrowser, seeOther } from "@/lib/microsoft/browser-redirect";
import { problemLocation } from "@/lib/microsoft/callback";
import { isMailRole } from "@/lib/microsoft/client-safe/mail-roles";
import { emailField } from "@/lib/settings/client-safe/fields";

export const dynamic = "force-dynamic";

/**
 * POST /api/oauth/authorize (form field `role`, optional `acceptAccount` + `confirmAlias`):
 * Authorize / Re-Authorize. Answers 303 to Microsoft's sign-in page. POST only: nothing that
 * creates state is reachable by a GET (or by a cross-site form: the session cookie is SameSite=Lax).
 */
const guarded = adminRoute("authorizeMicrosoft", async (request, admin) => {
  const form = await request.formData().catch(() => null);
  const role = form?.get("role");
  if (!isMailRole(role)) return seeOther(problemLocation("not_ready"));
  let acceptAccount: string | null = null;
  const alias = form?.get("acceptAccount");
  if (typeof alias === "string" && alias !== "") {
    const parsed = emailField("Account").safeParse(alias);
    // The alias is used only with the explicit confirmation box ticked.
    if (!parsed.success || !parsed.data || form?.get("confirmAlias") !== "yes")
      return seeOther(problemLocation("not_ready"));
    acceptAccount = parsed.data;
  }
  const start = await startAuthorization(role, admin, acceptAccount);
  if ("blockers" in start) return seeOther(problemLocation("not_ready"));
  await recordAudit(admin, {
    action: "microsoft.authorize_started",
    target: start.account,
    details: { roles: start.roles, ...(acceptAccount ? { confirmedAlias: acceptAccount } : {}) },
  });
  return seeOther(start.url);
});

export async function POST(request: Request): Promise<Response> {
  return forBrowser(await guarded(request, undefined), "/settings/email");
}
