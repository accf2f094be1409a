import "server-only";
import { createHash } from "node:crypto";
import { db } from "@/lib/db/client";
import { countedFailures, normalisedEmail, remainingWait } from "@/lib/auth/sign-in-backoff";

/** The row's key: a hash of the normalised e-mail (addresses typed by anyone are not kept as typed). */
function keyOf(email: unknown): string {
  return createHash("sha256")
    .update(`sign-in-backoff:${normalisedEmail(email)}`)
    .digest("hex");
}

/** Milliseconds this e-mail must still wait before an attempt is checked (0: it may try). */
export async function backoffWait(email: unknown, now = new Date()): Promise<number> {
  const row = await db.signInBackoff.findUnique({ where: { emailHash: keyOf(email) } });
  return remainingWait(row, now);
}

/** Counts one failed sign-in for this e-mail, known account or not; returns the failures counted. */
export async function recordSignInFailure(email: unknown, now = new Date()): Promise<number> {
  const emailHash = keyOf(email);
  const row = await db.signInBackoff.findUnique({ where: { emailHash } });
  const failures = countedFailures(row, now) + 1;
  await db.signInBackoff.upsert({
    where: { emailHash },
    create: { emailHash, failures, lastFailureAt: now },
    update: { failures, lastFailureAt: now },
  });
  return failures;
}

/** A successful sign-in (the password was right) forgets the failures. */
export async function clearSignInFailures(email: unknown): Promise<void> {
  await db.signInBackoff.deleteMany({ where: { emailHash: keyOf(email) } });
}
