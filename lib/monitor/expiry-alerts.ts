import "server-only";
import { db } from "@/lib/db/client";
import { pageLink } from "@/lib/alerts/alert-events";
import { raiseAlert, type AlertOptions, type RaisedAlert } from "@/lib/alerts/raise-alert";
import {
  type AccountsInUse,
  type AppCredentialSettings,
  type CredentialExpiry,
  describeExpiry,
  expiryWarnings,
} from "@/lib/microsoft/credential-expiry";

export const EXPIRY_ALERT = "credential.expiring";

/** One alert per credential and window: the target names both (and the date: a renewed credential is another). */
export function expiryAlertTarget(e: CredentialExpiry): string {
  const window = e.window === "expired" ? "expired" : `${e.window}-day warning`;
  return `${e.subject}, ${e.expiresAt.toISOString().slice(0, 10)} (${window})`;
}

/**
 * The health monitor's expiry events: a credential (client secret, certificate, a delegated sign-in)
 * entering its 30-, 7- or 1-day window, or expiring, raises one alert with the renewal steps — once per
 * window (the alert of that window is looked up; alerts are kept 30 days, so an expired credential is
 * announced again a month later).
 */
export async function raiseExpiryAlerts(
  settings: AppCredentialSettings,
  status: AccountsInUse,
  now: Date,
  serverBaseUrl: string | null,
  options: Pick<AlertOptions, "notify" | "webhook"> = {},
): Promise<RaisedAlert[]> {
  const raised: RaisedAlert[] = [];
  for (const e of expiryWarnings(settings, status, now)) {
    const target = expiryAlertTarget(e);
    if (await db.alertEvent.findFirst({ where: { kind: EXPIRY_ALERT, target }, select: { id: true } })) continue;
    raised.push(
      await raiseAlert(
        {
          kind: EXPIRY_ALERT,
          target,
          title: `${e.subject} ${describeExpiry(e)}`,
          summary: `${e.subject} ${describeExpiry(e)}. ${e.reason}`.trim(),
          hint: e.steps.map((step, i) => `${i + 1}. ${step}`).join("\n"),
          link: pageLink(serverBaseUrl, "/settings/email", "Email Settings"),
          facts: {
            credential: e.kind,
            expiresAt: e.expiresAt.toISOString(),
            window: String(e.window),
            daysLeft: e.daysLeft,
          },
        },
        options,
      ),
    );
  }
  return raised;
}
