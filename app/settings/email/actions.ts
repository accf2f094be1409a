"use server";
import { revalidatePath } from "next/cache";
import { adminAction } from "@/lib/auth/guard";
import { recordAudit } from "@/lib/audit/audit-log";
import { emailSettingsSchema, missingSecrets } from "@/lib/settings/client-safe/email-schema";
import { getEmailSettings, saveEmailSettings } from "@/lib/settings/email-repository";
import { AUDITABLE_COLUMNS } from "@/lib/settings/email-columns";
import { settingChanges } from "@/lib/audit/setting-changes";

export const saveEmailSettingsAction = adminAction("saveEmailSettings", emailSettingsSchema, async (values, admin) => {
  const stored = await getEmailSettings();
  const missing = missingSecrets(values, {
    smtpPassword: Boolean(stored.smtpPasswordEnc),
    imapPassword: Boolean(stored.imapPasswordEnc),
    msClientSecret: Boolean(stored.msClientSecretEnc),
  });
  if (Object.keys(missing).length) return { ok: false, error: "Some fields need attention.", fieldErrors: missing };
  const changed = await saveEmailSettings(values, admin.email);
  await recordAudit(admin, {
    action: "settings.email.saved",
    target: "Email Settings",
    details: { changed, values: settingChanges(stored, await getEmailSettings(), AUDITABLE_COLUMNS) },
  });
  revalidatePath("/settings", "layout");
  return { ok: true, message: changed.length ? "Email Settings saved." : "Saved (nothing had changed)." };
});
