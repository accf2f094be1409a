import { z } from "zod";
import { adminRoute } from "@/lib/auth/guard";
import { forBrowser, seeOther } from "@/lib/microsoft/browser-redirect";
import { completeAuthorization, problemLocation } from "@/lib/microsoft/callback";

export const dynamic = "force-dynamic";

/** What Microsoft sends back: a code (or an error) and the one-time state. Other parameters are dropped. */
const callbackQuery = z.object({
  code: z.string().optional(),
  state: z.string().optional(),
  error: z.string().optional(),
  error_description: z.string().optional(),
});

/**
 * GET /flexdeploy/rest/v2/oauth: the OAuth callback registered in Azure (FlexDeploy's path).
 * Needs the admin's session (SameSite=Lax cookies travel on Microsoft's top-level redirect) and the
 * one-time state; always answers 303 to Email Settings with a result banner.
 */
const guarded = adminRoute("oauthCallback", callbackQuery, async (query, admin) => {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, value);
  return seeOther(await completeAuthorization(params, admin));
});

export async function GET(request: Request): Promise<Response> {
  return forBrowser(await guarded(request), problemLocation("session_missing"));
}
