import "server-only";
import { db } from "@/lib/db/client";

/**
 * Break-glass (`npm run admin:create -- --email … --reset`): removes the administrator's two-factor
 * secret and backup codes and turns the flag off. Returns whether two-factor had been set up.
 */
export async function clearTwoFactor(email: string): Promise<boolean> {
  const user = await db.user.findUnique({
    where: { email: email.toLowerCase() },
    select: { id: true, twoFactorEnabled: true },
  });
  if (!user) return false;
  const [removed] = await db.$transaction([
    db.twoFactor.deleteMany({ where: { userId: user.id } }),
    db.user.update({ where: { id: user.id }, data: { twoFactorEnabled: false } }),
  ]);
  return Boolean(user.twoFactorEnabled) || removed.count > 0;
}
