import "server-only";
import { INSTANCE_ID, tryAcquireLease } from "@/lib/microsoft/lease";
import { pageLink } from "@/lib/alerts/alert-events";
import { raiseAlert, type AlertOptions, type RaisedAlert } from "@/lib/alerts/raise-alert";
import { getGeneralSettings } from "@/lib/settings/general-repository";

/**
 * The relay refused (answered 4xx) because forwarding to Microsoft failed — the connection, not the
 * sender. One alert per day at most, whatever the number of refused messages and instances: the
 * `alert-relay-refused` lease is taken for a day by the one that alerts (the relay calls this for each
 * new problem it records; the Status page and the Relay page show the rest).
 */
export const RELAY_ALERT_EVERY_MS = 86_400_000;
export const RELAY_ALERT_LEASE = "alert-relay-refused";

export async function alertRelayRefusal(
  problem: string,
  options: Pick<AlertOptions, "notify" | "webhook"> = {},
): Promise<RaisedAlert | null> {
  if (!(await tryAcquireLease(RELAY_ALERT_LEASE, INSTANCE_ID, RELAY_ALERT_EVERY_MS))) return null;
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
