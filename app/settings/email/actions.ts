"use server";
import { revalidatePath } from "next/cache";
import { adminAction } from "@/lib/auth/guard";
import { confirmationNeeded, confirmedRecently } from "@/lib/auth/password-confirmation";
import { recordAudit } from "@/lib/audit/audit-log";
import { emailSettingsSchema, missingSecrets } from "@/lib/settings/client-safe/email-schema";
import { FIELD_LABELS } from "@/lib/settings/client-safe/requirements";
import { getEmailSettings, saveEmailSettings } from "@/lib/settings/email-repository";
import { AUDITABLE_COLUMNS } from "@/lib/settings/email-columns";
import { settingChanges } from "@/lib/audit/setting-changes";
import { planSecrets } from "@/lib/settings/secret-destinations";

export const saveEmailSettingsAction = adminAction("saveEmailSettings", emailSettingsSchema, async (values, admin) => {
  const stored = await getEmailSettings();
  const plan = planSecrets(values, stored);
  const fieldErrors = {
    ...plan.errors,
    ...missingSecrets(values, {
      smtpPassword: Boolean(stored.smtpPasswordEnc),
      imapPassword: Boolean(stored.imapPasswordEnc),
      msClientSecret: Boolean(stored.msClientSecretEnc),
    }),
  };
  if (Object.keys(fieldErrors).length) return { ok: false, error: "Some fields need attention.", fieldErrors };
  if (plan.sensitive && !(await confirmedRecently(admin))) return confirmationNeeded();

  const changed = await saveEmailSettings(values, admin.email, plan);
  await recordAudit(admin, {
    action: "settings.email.saved",
    target: "Email Settings",
    details: {
      changed,
      values: settingChanges(stored, await getEmailSettings(), AUDITABLE_COLUMNS),
      removedSecrets: plan.drop,
      reauthorizeAll: plan.reauthorizeAll,
    },
  });
  revalidatePath("/settings", "layout");
  const notes = [
    plan.drop.length
      ? `The stored ${plan.drop.map((s) => FIELD_LABELS[s]).join(" and ")} ${plan.drop.length === 1 ? "was" : "were"} removed: nothing uses ${plan.drop.length === 1 ? "it" : "them"} and ${plan.drop.length === 1 ? "its" : "their"} destination changed.`
      : null,
    plan.reauthorizeAll
      ? "The Microsoft app registration changed: every Microsoft connection needs to be authorized again (Re-Authorize below)."
      : null,
  ].filter(Boolean);
  const saved = changed.length ? "Email Settings saved." : "Saved (nothing had changed).";
  return { ok: true, message: [saved, ...notes].join(" ") };
});
