import type { Metadata } from "next";
import { requireAdminPage } from "@/lib/auth/guard";
import { generalSettingsForPage } from "@/lib/settings/page-data";
import { GeneralSettingsForm } from "@/app/settings/general/general-settings-form";
import { RequireTwoFactorForm } from "@/app/settings/general/require-two-factor-form";
import { twoFactorRequired } from "@/lib/auth/two-factor-requirement";

export const metadata: Metadata = { title: "General Settings" };

export default async function GeneralSettingsPage() {
  await requireAdminPage("/settings/general");
  const [settings, requireTwoFactor] = await Promise.all([generalSettingsForPage(), twoFactorRequired()]);
  return (
    <>
      <h1>General Settings</h1>
      <p className="lead">
        The public address of this server. Microsoft sends administrators back here after they authorize a mailbox.
      </p>
      <GeneralSettingsForm
        initial={{ serverBaseUrl: settings.serverBaseUrl ?? "", version: settings.version }}
        lastSaved={settings.updatedAt ? { by: settings.updatedBy, at: settings.updatedAt.toISOString() } : null}
      />
      <RequireTwoFactorForm initial={requireTwoFactor} />
    </>
  );
}
