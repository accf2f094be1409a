"use server";
import { headers } from "next/headers";
import { auth } from "@/lib/auth/auth";
import { createAdmin } from "@/lib/auth/admin-accounts";
import { consumeSetupCode } from "@/lib/auth/setup-code";
import { setupSchema } from "@/lib/auth/client-safe/admin-schema";
import { publicAction } from "@/lib/auth/guard";
import { recordAudit } from "@/lib/audit/audit-log";
import { db } from "@/lib/db/client";

/**
 * The only public action: protected by the one-time setup code from the server log, and usable
 * only while no administrator exists. Signs the new administrator in.
 */
export const completeSetupAction = publicAction(
  "completeSetup",
  setupSchema,
  async ({ setupCode, name, email, password }) => {
    if (!(await consumeSetupCode(setupCode))) {
      return {
        ok: false,
        error: "That setup code is not valid (or setup is already done).",
        fieldErrors: { setupCode: "Wrong or already used setup code: copy it from the server log" },
      };
    }
    let admin: { id: string; email: string };
    try {
      admin = await createAdmin({ name, email, password });
    } catch (error) {
      await db.setupCode.update({ where: { id: 1 }, data: { usedAt: null } }); // let the admin try again
      throw error;
    }
    await recordAudit(admin, { action: "admin.created", target: email, details: { via: "setup page" } });
    await auth.api.signInEmail({ body: { email, password }, headers: await headers() });
    return { ok: true, message: "Administrator created." };
  },
);
