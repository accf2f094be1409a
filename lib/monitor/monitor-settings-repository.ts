import "server-only";
import { db } from "@/lib/db/client";
import { decryptSecret, encryptSecret } from "@/lib/crypto/secret-box";
import { ExpectedError } from "@/lib/errors/expected-error";
import { MONITOR_INTERVAL, type MonitoringSettingsValues } from "@/lib/monitor/client-safe/monitoring-schema";
import { StaleSettingsError } from "@/lib/settings/concurrency";

/**
 * The Monitoring settings row. The webhook secret is encrypted with its URL as context, so it decrypts
 * only for the URL it was saved for (the trust rule of lib/settings/secret-destinations.ts): a save
 * that changes the URL and keeps the stored secret is refused with a field error (nothing is saved);
 * clearing the URL removes the secret.
 */

export const WEBHOOK_SECRET_MIN = 16;

/** The webhook secret decrypts only for the URL it was saved for (also lib/crypto/sealed-columns.ts). */
export const webhookSecretContext = (url: string) => `monitor.webhookSecret|${url}`;

export type MonitorSettingsView = {
  intervalMinutes: number;
  webhookUrl: string | null;
  webhookSecretSet: boolean;
  version: number;
  updatedAt: Date | null;
  updatedBy: string | null;
};

export async function getMonitorSettings(): Promise<MonitorSettingsView> {
  const row = await db.monitorSettings.findUnique({ where: { id: 1 } });
  return {
    intervalMinutes: row?.intervalMinutes ?? MONITOR_INTERVAL.default,
    webhookUrl: row?.webhookUrl ?? null,
    webhookSecretSet: Boolean(row?.webhookSecretEnc),
    version: row?.version ?? 0,
    updatedAt: row?.updatedAt ?? null,
    updatedBy: row?.updatedBy ?? null,
  };
}

/** The webhook to deliver to, or null when none is configured (or its secret does not decrypt for its URL). */
export async function readWebhookTarget(): Promise<{ url: string; secret: string } | null> {
  const row = await db.monitorSettings.findUnique({ where: { id: 1 } });
  if (!row?.webhookUrl || !row.webhookSecretEnc) return null;
  try {
    return { url: row.webhookUrl, secret: decryptSecret(row.webhookSecretEnc, webhookSecretContext(row.webhookUrl)) };
  } catch {
    return null;
  }
}

export class WebhookSecretError extends ExpectedError {
  constructor(message: string) {
    super(message);
  }
}

export type SavedMonitorSettings = { changed: string[]; secret: "kept" | "replaced" | "removed" | "none" };

/** Saves when nobody saved since `values.version`; what changed (names only, never the secret). */
export async function saveMonitorSettings(
  values: MonitoringSettingsValues,
  actorEmail: string,
): Promise<SavedMonitorSettings> {
  const row = await db.monitorSettings.findUnique({ where: { id: 1 } });
  const url = values.webhookUrl || null;
  const typed = values.webhookSecret;
  if (typed && typed.length < WEBHOOK_SECRET_MIN)
    throw new WebhookSecretError(`The webhook secret must be at least ${WEBHOOK_SECRET_MIN} characters.`);
  let secretEnc: string | null;
  let secret: SavedMonitorSettings["secret"];
  if (!url) {
    secretEnc = null;
    secret = row?.webhookSecretEnc ? "removed" : "none";
  } else if (typed) {
    secretEnc = encryptSecret(typed, webhookSecretContext(url));
    secret = "replaced";
  } else if (row?.webhookSecretEnc && row.webhookUrl === url) {
    secretEnc = row.webhookSecretEnc;
    secret = "kept";
  } else if (row?.webhookSecretEnc) {
    throw new WebhookSecretError(
      `The stored secret was saved for ${row.webhookUrl}: enter the secret again for the new URL (it is never sent elsewhere).`,
    );
  } else {
    throw new WebhookSecretError("Enter the webhook secret: every alert is signed with it.");
  }
  const changed = [
    ...((row?.intervalMinutes ?? MONITOR_INTERVAL.default) === values.intervalMinutes ? [] : ["intervalMinutes"]),
    ...((row?.webhookUrl ?? null) === url ? [] : ["webhookUrl"]),
    ...(secret === "replaced" || secret === "removed" ? ["webhookSecret"] : []),
  ];
  const data = {
    intervalMinutes: values.intervalMinutes,
    webhookUrl: url,
    webhookSecretEnc: secretEnc,
    updatedBy: actorEmail,
    version: values.version + 1,
  };
  if (values.version === 0 && !row) {
    try {
      await db.monitorSettings.create({ data: { id: 1, ...data } });
      return { changed, secret };
    } catch {
      // another admin's first save won: the versioned update reports the conflict
    }
  }
  const { count } = await db.monitorSettings.updateMany({ where: { id: 1, version: values.version }, data });
  if (count === 0) {
    const latest = await getMonitorSettings();
    throw new StaleSettingsError(latest.updatedBy, latest.updatedAt ?? new Date());
  }
  return { changed, secret };
}
