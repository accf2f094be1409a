import "server-only";
import { auth } from "@/lib/auth/auth";
import { db } from "@/lib/db/client";

export async function adminCount(): Promise<number> {
  return db.user.count();
}

/** Creates an administrator with a scrypt-hashed password (better-auth's hashing). */
export async function createAdmin(input: {
  name: string;
  email: string;
  password: string;
}): Promise<{ id: string; email: string }> {
  const ctx = await auth.$context;
  const existing = await ctx.internalAdapter.findUserByEmail(input.email);
  if (existing) throw new Error(`An administrator with the email ${input.email} already exists.`);
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
  return { id: user.id, email: user.email };
}

/** Recovery: sets a new password and ends the administrator's sessions. */
export async function resetAdminPassword(email: string, password: string): Promise<void> {
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
  await ctx.internalAdapter.deleteUserSessions(found.user.id);
}
