import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { db } from "@/lib/db/client";
import { ExpectedError } from "@/lib/errors/expected-error";

/** An invitation link is valid for 72 hours, once. */
export const INVITATION_LIFETIME_MS = 72 * 60 * 60 * 1000;

export class InvitationRefused extends ExpectedError {}

const hash = (token: string) => createHash("sha256").update(token).digest("hex");
/** 32 random bytes, URL-safe: the link's only secret (never stored: only its SHA-256). */
const newToken = () => randomBytes(32).toString("base64url");
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export type PendingInvitation = { id: string; email: string; createdByEmail: string; createdAt: Date; expiresAt: Date };

/**
 * A new invitation for `email`, by `by`: returns the token (shown once, in the link) and its expiry.
 * Refused when an administrator already has that address. An older pending invitation to the same
 * address is revoked, so one link per address works at a time.
 */
export async function createInvitation(
  email: string,
  by: { id: string; email: string },
  now = new Date(),
): Promise<{ token: string; id: string; expiresAt: Date }> {
  if (await db.user.findUnique({ where: { email } })) {
    throw new InvitationRefused(`${email} is already an administrator.`);
  }
  const token = newToken();
  const expiresAt = new Date(now.getTime() + INVITATION_LIFETIME_MS);
  const created = await db.$transaction(async (tx) => {
    await tx.adminInvitation.updateMany({
      where: { email, usedAt: null, revokedAt: null },
      data: { revokedAt: now },
    });
    return tx.adminInvitation.create({
      data: { tokenHash: hash(token), email, createdById: by.id, createdByEmail: by.email, createdAt: now, expiresAt },
    });
  });
  return { token, id: created.id, expiresAt };
}

/** The usable invitation behind `token` (not used, revoked or expired), or null. */
export async function findUsableInvitation(token: string, now = new Date()) {
  if (!TOKEN_SHAPE.test(token)) return null;
  const row = await db.adminInvitation.findUnique({ where: { tokenHash: hash(token) } });
  if (!row || row.usedAt || row.revokedAt || row.expiresAt <= now) return null;
  return row;
}

/**
 * Uses the invitation once: the conditional update lets exactly one of two simultaneous acceptances
 * win (the other gets null), as the setup code does. Returns the invitation it used.
 */
export async function claimInvitation(token: string, now = new Date()) {
  const row = await findUsableInvitation(token, now);
  if (!row) return null;
  const { count } = await db.adminInvitation.updateMany({
    where: { id: row.id, usedAt: null, revokedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now },
  });
  return count === 1 ? row : null;
}

/** Gives a claimed invitation back (creating the administrator failed), so the link can be tried again. */
export async function releaseInvitation(id: string): Promise<void> {
  await db.adminInvitation.update({ where: { id }, data: { usedAt: null } });
}

export async function recordInvitationAccepted(id: string, userId: string): Promise<void> {
  await db.adminInvitation.update({ where: { id }, data: { userId } });
}

/** Revokes a pending invitation; returns its address, or null when it was no longer pending. */
export async function revokeInvitation(id: string, now = new Date()): Promise<string | null> {
  const row = await db.adminInvitation.findUnique({ where: { id } });
  if (!row) return null;
  const { count } = await db.adminInvitation.updateMany({
    where: { id, usedAt: null, revokedAt: null },
    data: { revokedAt: now },
  });
  return count === 1 ? row.email : null;
}

/** Invitations that can still be accepted, newest first. */
export async function pendingInvitations(now = new Date()): Promise<PendingInvitation[]> {
  return db.adminInvitation.findMany({
    where: { usedAt: null, revokedAt: null, expiresAt: { gt: now } },
    orderBy: { createdAt: "desc" },
    select: { id: true, email: true, createdByEmail: true, createdAt: true, expiresAt: true },
  });
}
