import "server-only";
import { db } from "@/lib/db/client";
import { ExpectedError } from "@/lib/errors/expected-error";

export type AdminListing = {
  id: string;
  name: string;
  email: string;
  twoFactor: boolean;
  lastSignInAt: Date | null;
  createdAt: Date;
  createdByEmail: string | null;
  mustChangePassword: boolean;
};

/** Every administrator, oldest first, with what the Administrators page shows. */
export async function listAdmins(): Promise<AdminListing[]> {
  const users = await db.user.findMany({ orderBy: { createdAt: "asc" } });
  return users.map((u) => ({
    id: u.id,
    name: u.name,
    email: u.email,
    twoFactor: u.twoFactorEnabled === true, // better-auth's twoFactor plugin
    lastSignInAt: u.lastSignInAt,
    createdAt: u.createdAt,
    createdByEmail: u.createdByEmail,
    mustChangePassword: u.mustChangePassword,
  }));
}

export async function findAdmin(id: string): Promise<{ id: string; email: string; name: string } | null> {
  return db.user.findUnique({ where: { id }, select: { id: true, email: true, name: true } });
}

export class RemovalRefused extends ExpectedError {}

/**
 * Removes an administrator and ends their sessions. Never the last one: the check and the delete run
 * in one transaction that first writes every administrator row, so two removals at once are serialised
 * (SQLite: one writer; PostgreSQL: row locks) and the second sees the first's result. Returns the email.
 */
export async function removeAdmin(id: string): Promise<string> {
  return db.$transaction(async (tx) => {
    await tx.user.updateMany({ data: { updatedAt: new Date() } }); // take the write lock on every admin row first
    const target = await tx.user.findUnique({ where: { id }, select: { email: true } });
    if (!target) throw new RemovalRefused("That administrator was already removed.");
    if ((await tx.user.count()) <= 1) {
      throw new RemovalRefused("The last administrator cannot be removed: add another one first.");
    }
    await tx.session.deleteMany({ where: { userId: id } });
    await tx.account.deleteMany({ where: { userId: id } });
    await tx.user.delete({ where: { id } });
    return target.email;
  });
}
