"use server";
import { headers } from "next/headers";
import { auth } from "@/lib/auth/auth";
import { createAdmin } from "@/lib/auth/admin-accounts";
import { consumeSetupCode, setupAvailable } from "@/lib/auth/setup-code";
import { setupFormSchema } from "@/app/(auth)/setup/client-safe/setup-schema";
import { publicAction } from "@/lib/auth/guard";
import { weakPasswordResult } from "@/lib/auth/password-strength";
import { recordAudit } from "@/lib/audit/audit-log";
import { db } from "@/lib/db/client";
import { getGeneralSettings, saveGeneralSettings } from "@/lib/settings/general-repository";
import { requestFacts } from "@/lib/audit/request-facts";

/**
 * The only public action: protected by the one-time setup code from the server log, and usable
 * only while no administrator exists. Signs the new administrator in.
 */
export const completeSetupAction = publicAction(
  "completeSetup",
  setupFormSchema,
  async ({ setupCode, name, email, password, serverBaseUrl }) => {
    const weak = weakPasswordResult("password", password, [email, name]);
    if (weak) return weak;
    const facts = requestFacts(await headers());
    if (!(await consumeSetupCode(setupCode))) {
      // While setup is open (no administrator yet); afterwards the page is closed and a submission changes nothing.
      if (await setupAvailable()) {
        console.warn(`[setup] wrong setup code from ${facts.address ?? "unknown address"}`);
        await recordAudit(null, { action: "setup.code_refused", target: email, details: facts });
      }
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
    await recordAudit(admin, { action: "setup.code_used", target: email, details: facts });
    await recordAudit(admin, { action: "admin.created", target: email, details: { via: "setup page" } });
    // The origin setup was completed from becomes the Server Base URL (a trusted origin), unless one is saved.
    if ((await getGeneralSettings()).version === 0) {
      const changed = await saveGeneralSettings({ serverBaseUrl, version: 0 }, email);
      await recordAudit(admin, {
        action: "settings.general.saved",
        target: "General Settings",
        details: { changed, via: "setup page" },
      });
    }
    await auth.api.signInEmail({ body: { email, password }, headers: await headers() });
    return { ok: true, message: "Administrator created." };
  },
);
