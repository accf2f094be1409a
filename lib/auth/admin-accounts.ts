import "server-only";
import { auth } from "@/lib/auth/auth";
import { db } from "@/lib/db/client";
import { ExpectedError } from "@/lib/errors/expected-error";

export class AdminExists extends ExpectedError {}

export async function adminCount(): Promise<number> {
  return db.user.count();
}

/**
 * Creates an administrator with a scrypt-hashed password (better-auth's hashing). `createdBy` is the
 * administrator who added them (none: setup or the command line); `mustChangePassword` for an initial
 * password set by someone else (the guard then allows nothing but changing it).
 */
export async function createAdmin(input: {
  name: string;
  email: string;
  password: string;
  createdBy?: { id: string; email: string } | null;
  mustChangePassword?: boolean;
}): Promise<{ id: string; email: string }> {
  const ctx = await auth.$context;
  const existing = await ctx.internalAdapter.findUserByEmail(input.email);
  if (existing) throw new AdminExists(`An administrator with the email ${input.email} already exists.`);
  const user = await ctx.internalAdapter.createUser(
    { name: input.name, email: input.email, emailVerified: true },
    { method: "admin" },
  );
  await ctx.internalAdapter.linkAccount({
    userId: user.id,
    providerId: "credential",
    accountId: user.id,
    password: await ctx.password.hash(input.password),
  });
  if (input.createdBy || input.mustChangePassword) {
    await db.user.update({
      where: { id: user.id },
      data: {
        createdById: input.createdBy?.id ?? null,
        createdByEmail: input.createdBy?.email ?? null,
        mustChangePassword: input.mustChangePassword ?? false,
      },
    });
  }
  return { id: user.id, email: user.email };
}

/**
 * Recovery: sets a new password and ends the administrator's sessions. `mustChangePassword`: another
 * administrator chose it, so its owner must replace it at the next sign-in.
 */
export async function resetAdminPassword(
  email: string,
  password: string,
  options: { mustChangePassword?: boolean } = {},
): Promise<void> {
  const ctx = await auth.$context;
  const found = await ctx.internalAdapter.findUserByEmail(email, { includeAccounts: true });
  if (!found) throw new Error(`No administrator with the email ${email}.`);
  const hash = await ctx.password.hash(password);
  if (found.accounts.some((a) => a.providerId === "credential")) {
    await ctx.internalAdapter.updatePassword(found.user.id, hash);
  } else {
    await ctx.internalAdapter.linkAccount({
      userId: found.user.id,
      providerId: "credential",
      accountId: found.user.id,
      password: hash,
    });
  }
  await db.user.update({
    where: { id: found.user.id },
    data: { mustChangePassword: options.mustChangePassword ?? false },
  });
  await ctx.internalAdapter.deleteUserSessions(found.user.id);
}
