import "server-only";
import { cache } from "react";
import { listAppConnectionViews } from "@/lib/microsoft/app-connection-repository";
import { listConnectionViews } from "@/lib/microsoft/connection-repository";
import { describeMailRoles, type MailRolesStatus } from "@/lib/microsoft/mail-role-status";
import { getEmailSettings } from "@/lib/settings/email-repository";
import { getGeneralSettings } from "@/lib/settings/general-repository";
import { emailSettingsForPage, generalSettingsForPage } from "@/lib/settings/page-data";

type LoadedMailRoles = {
  settings: Awaited<ReturnType<typeof getEmailSettings>>;
  general: Awaited<ReturnType<typeof getGeneralSettings>>;
  status: MailRolesStatus;
};

async function load(
  readSettings: typeof getEmailSettings,
  readGeneral: typeof getGeneralSettings,
): Promise<LoadedMailRoles> {
  const [settings, general, connections, appConnections] = await Promise.all([
    readSettings(),
    readGeneral(),
    listConnectionViews(),
    listAppConnectionViews(),
  ]);
  return { settings, general, status: describeMailRoles(settings, general, connections, appConnections) };
}

/** The rows the role status is made of, read now (the keep-alive). */
export function loadMailRoles(): Promise<LoadedMailRoles> {
  return load(getEmailSettings, getGeneralSettings);
}

/** The same for pages: once per request, sharing the page's settings reads. */
export const loadMailRolesForPage = cache(() => load(emailSettingsForPage, generalSettingsForPage));
