import "server-only";
import { problemLocation } from "@/lib/microsoft/callback";

/**
 * The OAuth routes answer a browser's top-level navigation, so every answer is a 303 to a page
 * (never JSON, never a 500 page). Locations are relative: the host is the one the browser is on.
 */
export function seeOther(location: string): Response {
  return new Response(null, {
    status: 303,
    headers: { Location: location, "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" },
  });
}

/** Turns the guard's JSON refusals into redirects: 401 → sign in; 503 → "database unavailable"; other 5xx → Email Settings with a reference. */
export async function forBrowser(response: Response, afterSignIn: string): Promise<Response> {
  if (response.status === 401) return seeOther(`/sign-in?${new URLSearchParams({ next: afterSignIn }).toString()}`);
  if (response.status === 503) return seeOther(problemLocation("database_unavailable"));
  if (response.status >= 500) {
    let ref: string | undefined;
    try {
      const body = (await response.clone().json()) as { error?: string };
      ref = /reference ([0-9a-f]{8})/.exec(body.error ?? "")?.[1];
    } catch {
      // not the guard's JSON: no reference to show
    }
    return seeOther(problemLocation("unexpected", ref ? { ref } : {}));
  }
  return response;
}
