import "server-only";
import { headers } from "next/headers";
import { auth } from "@/lib/auth/auth";

export type Admin = { id: string; email: string; name: string; sessionId: string };

/** The signed-in administrator for the current request, or null. */
export async function currentAdmin(requestHeaders?: Headers): Promise<Admin | null> {
  const session = await auth.api.getSession({ headers: requestHeaders ?? (await headers()) });
  if (!session) return null;
  return { id: session.user.id, email: session.user.email, name: session.user.name, sessionId: session.session.id };
}
