import "server-only";
import { cache } from "react";
import { db } from "@/lib/db/client";
import type { GeneralSettingsValues } from "@/lib/settings/client-safe/general-schema";
import { StaleSettingsError } from "@/lib/settings/concurrency";

export type GeneralSettingsView = {
  serverBaseUrl: string | null;
  /** Every administrator must use two-factor sign-in (its own form: lib/auth/two-factor-requirement.ts). */
  requireTwoFactor: boolean;
  version: number;
  updatedAt: Date | null;
  updatedBy: string | null;
};

export async function getGeneralSettings(): Promise<GeneralSettingsView> {
  const row = await db.generalSettings.findUnique({ where: { id: 1 } });
  return row ?? { serverBaseUrl: null, requireTwoFactor: false, version: 0, updatedAt: null, updatedBy: null };
}

/**
 * The same, read once per server-component render (React `cache()`): the session check's trusted
 * origins and the page's loaders share one read. Outside a render (server actions, route handlers)
 * `cache()` does not memoize, so a save is never answered with the row read before it.
 */
export const generalSettingsForRequest = cache(getGeneralSettings);

/** Saves when nobody saved since `values.version`; returns the names of the fields that changed. */
export async function saveGeneralSettings(values: GeneralSettingsValues, actorEmail: string): Promise<string[]> {
  const current = await getGeneralSettings();
  const changed = current.serverBaseUrl === values.serverBaseUrl ? [] : ["serverBaseUrl"];
  const data = { serverBaseUrl: values.serverBaseUrl, updatedBy: actorEmail, version: values.version + 1 };
  if (values.version === 0) {
    // First save: the row must not exist yet (another admin's first save wins, this one is stale).
    try {
      await db.generalSettings.create({ data: { id: 1, ...data } });
      return changed;
    } catch {
      // fall through to the versioned update, which reports the conflict
    }
  }
  const { count } = await db.generalSettings.updateMany({ where: { id: 1, version: values.version }, data });
  if (count === 0) {
    const latest = await getGeneralSettings();
    throw new StaleSettingsError(latest.updatedBy, latest.updatedAt ?? new Date());
  }
  return changed;
}
