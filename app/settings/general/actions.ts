"use server";
import { revalidatePath } from "next/cache";
import { adminAction } from "@/lib/auth/guard";
import { recordAudit } from "@/lib/audit/audit-log";
import { generalSettingsSchema } from "@/lib/settings/client-safe/general-schema";
import { getGeneralSettings, saveGeneralSettings } from "@/lib/settings/general-repository";
import { settingChanges } from "@/lib/audit/setting-changes";

export const saveGeneralSettingsAction = adminAction(
  "saveGeneralSettings",
  generalSettingsSchema,
  async (values, admin) => {
    const before = await getGeneralSettings();
    const changed = await saveGeneralSettings(values, admin.email);
    const recorded = settingChanges(before, await getGeneralSettings(), ["serverBaseUrl"]);
    await recordAudit(admin, {
      action: "settings.general.saved",
      target: "General Settings",
      details: { changed, values: recorded },
    });
    revalidatePath("/settings", "layout");
    // The stored (normalised) values, for the form to show: the typed text may differ (case, slashes).
    const stored = { serverBaseUrl: values.serverBaseUrl, version: values.version + 1 };
    return {
      ok: true,
      message: changed.length ? "General Settings saved." : "Saved (nothing had changed).",
      data: stored,
    };
  },
);
