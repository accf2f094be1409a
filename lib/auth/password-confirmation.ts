import "server-only";
import { isAPIError } from "better-auth/api";
import { auth } from "@/lib/auth/auth";
import type { ActionResult } from "@/lib/auth/client-safe/action-result";
import type { Admin } from "@/lib/auth/session";
import { db } from "@/lib/db/client";

/**
 * Re-confirmation: changes of where stored secrets and tokens go, and Disconnect, ask for the admin's
 * password again when it was last confirmed more than 5 minutes ago (signing in counts). The time is
 * kept per session in the database (`PasswordConfirmation`), so it holds whichever instance answers.
 */
export const CONFIRMATION_WINDOW_MS = 5 * 60 * 1000;

/** Whether a confirmation at `confirmedAt` still covers a change at `now` (the 5-minute window). */
export function isConfirmationFresh(confirmedAt: Date | null, now: Date): boolean {
  if (!confirmedAt) return false;
  const age = now.getTime() - confirmedAt.getTime();
  return age >= 0 && age < CONFIRMATION_WINDOW_MS;
}

/** When the admin last typed their password in this session: the sign-in or the latest confirmation. */
async function lastConfirmedAt(admin: Admin): Promise<Date | null> {
  const session = await db.session.findUnique({
    where: { id: admin.sessionId },
    select: { createdAt: true, passwordConfirmation: { select: { confirmedAt: true } } },
  });
  if (!session) return null;
  const confirmed = session.passwordConfirmation?.confirmedAt;
  return confirmed && confirmed > session.createdAt ? confirmed : session.createdAt;
}

export async function confirmedRecently(admin: Admin, now = new Date()): Promise<boolean> {
  return isConfirmationFresh(await lastConfirmedAt(admin), now);
}

/** The typed answer of an action whose change needs the password first. */
export function confirmationNeeded(): ActionResult<never> {
  return {
    ok: false,
    error: "Confirm your password to make this change. Nothing was changed.",
    needsConfirmation: true,
  };
}

/**
 * Checks the password with better-auth (its own hashing, against the signed-in user of `headers`) and
 * records the confirmation for this session. Returns whether the password was right.
 */
export async function confirmPassword(admin: Admin, password: string, headers: Headers): Promise<boolean> {
  try {
    await auth.api.verifyPassword({ body: { password }, headers });
  } catch (error) {
    if (isAPIError(error)) return false;
    throw error;
  }
  const confirmedAt = new Date();
  await db.passwordConfirmation.upsert({
    where: { sessionId: admin.sessionId },
    create: { sessionId: admin.sessionId, confirmedAt },
    update: { confirmedAt },
  });
  return true;
}
