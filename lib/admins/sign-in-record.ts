import "server-only";
import { db } from "@/lib/db/client";

/** Called by the auth library whenever it creates a session (a sign-in): the Administrators page's "last sign-in". */
export async function recordSignIn(userId: string, at = new Date()): Promise<void> {
  await db.user.updateMany({ where: { id: userId }, data: { lastSignInAt: at } });
}
