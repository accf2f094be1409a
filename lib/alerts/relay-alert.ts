import "server-only";
import { db } from "@/lib/db/client";
import { pageLink } from "@/lib/alerts/alert-events";
import { raiseAlert, type AlertOptions, type RaisedAlert } from "@/lib/alerts/raise-alert";
import { getGeneralSettings } from "@/lib/settings/general-repository";

/**
 * The relay refused (answered 4xx) because forwarding to Microsoft failed — the connection, not the
 * sender. One alert per day at most, whatever the number of refused messages (the relay calls this for
 * each new problem it records; the Status page and the Relay page show the rest).
 */
export const RELAY_ALERT_EVERY_MS = 86_400_000;

export async function alertRelayRefusal(
  problem: string,
  options: Pick<AlertOptions, "notify" | "webhook"> & { now?: Date } = {},
): Promise<RaisedAlert | null> {
  const now = options.now ?? new Date();
  const recent = await db.alertEvent.findFirst({
    where: { kind: "relay.refused", createdAt: { gte: new Date(now.getTime() - RELAY_ALERT_EVERY_MS) } },
  });
  if (recent) return null;
  const { serverBaseUrl } = await getGeneralSettings();
  return raiseAlert(
    {
      kind: "relay.refused",
      target: "relay",
      title: "the SMTP relay is refusing mail: forwarding to Microsoft fails",
      summary: `The relay answered senders with a temporary refusal because forwarding to Microsoft failed: ${problem}`,
      hint: "Senders retry later; fix the SMTP connection (the Status page and Test Email Configuration say what fails).",
      link: pageLink(serverBaseUrl, "/settings/relay", "the Relay page"),
      facts: { problem },
    },
    options,
  );
}
