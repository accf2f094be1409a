import "server-only";
import { headers } from "next/headers";
import { cache } from "react";
import { auth } from "@/lib/auth/auth";

export type Admin = { id: string; email: string; name: string; sessionId: string };

/** The signed-in administrator for the current request, or null. */
export async function currentAdmin(requestHeaders?: Headers): Promise<Admin | null> {
  return requestHeaders ? adminOf(requestHeaders) : currentRequestAdmin();
}

/** Read once per request however many server components ask (layout, page, sections). */
const currentRequestAdmin = cache(async (): Promise<Admin | null> => adminOf(await headers()));

async function adminOf(requestHeaders: Headers): Promise<Admin | null> {
  const session = await auth.api.getSession({ headers: requestHeaders });
  if (!session) return null;
  return { id: session.user.id, email: session.user.email, name: session.user.name, sessionId: session.session.id };
}
