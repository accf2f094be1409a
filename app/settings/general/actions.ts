"use server";
import { revalidatePath } from "next/cache";
import { adminAction } from "@/lib/auth/guard";
import { recordAudit } from "@/lib/audit/audit-log";
import { generalSettingsSchema } from "@/lib/settings/client-safe/general-schema";
import { saveGeneralSettings } from "@/lib/settings/general-repository";

export const saveGeneralSettingsAction = adminAction(
  "saveGeneralSettings",
  generalSettingsSchema,
  async (values, admin) => {
    const changed = await saveGeneralSettings(values, admin.email);
    await recordAudit(admin, { action: "settings.general.saved", target: "General Settings", details: { changed } });
    revalidatePath("/settings", "layout");
    return { ok: true, message: changed.length ? "General Settings saved." : "Saved (nothing had changed)." };
  },
);
