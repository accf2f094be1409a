import { adminRoute } from "@/lib/auth/guard";
import { forBrowser, seeOther } from "@/lib/microsoft/browser-redirect";
import { completeAuthorization, problemLocation } from "@/lib/microsoft/callback";

export const dynamic = "force-dynamic";

/**
 * GET /flexdeploy/rest/v2/oauth: the OAuth callback registered in Azure (FlexDeploy's path).
 * Needs the admin's session (SameSite=Lax cookies travel on Microsoft's top-level redirect) and the
 * one-time state; always answers 303 to Email Settings with a result banner.
 */
const guarded = adminRoute("oauthCallback", async (request, admin) => {
  const params = new URL(request.url).searchParams;
  return seeOther(await completeAuthorization(params, admin));
});

export async function GET(request: Request): Promise<Response> {
  return forBrowser(await guarded(request, undefined), problemLocation("session_missing"));
}
