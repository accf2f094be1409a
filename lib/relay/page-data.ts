import "server-only";
import { RELAY_POLL_MS } from "@/lib/relay/client-safe/limits";
import { listCredentials } from "@/lib/relay/credential-repository";
import { getRelayState, recentActivity, todayCounts } from "@/lib/relay/relay-repository";
import { relayHost, relayPort } from "@/lib/relay/relay-runtime";
import { smtpSendingMailbox } from "@/lib/mail/smtp-identity";
import { getEmailSettings } from "@/lib/settings/email-repository";

/** What the Relay page shows: the switch, where it forwards, credentials with today's counters, activity. */
export async function relayPageData() {
  const [state, credentials, activity, settings] = await Promise.all([
    getRelayState(),
    listCredentials(),
    recentActivity(50),
    getEmailSettings(),
  ]);
  const withCounts = await Promise.all(credentials.map(async (c) => ({ ...c, today: await todayCounts(c.id) })));
  const blocker =
    settings.smtpAuthType !== "microsoft"
      ? "Email Settings do not sign in to SMTP with Microsoft OAuth: the relay answers every message with a temporary error until they do."
      : !settings.smtpHost || !settings.smtpPort
        ? "The SMTP host and port are not set in Email Settings."
        : null;
  return {
    state,
    host: relayHost(),
    port: relayPort(),
    pollSeconds: Math.round(RELAY_POLL_MS / 1000),
    credentials: withCounts,
    activity,
    defaultFrom: settings.smtpFrom || settings.smtpUser || "",
    upstream: {
      blocker,
      target: `${settings.smtpHost}:${settings.smtpPort} (${settings.smtpSecurity.toUpperCase()})`,
      user: smtpSendingMailbox(settings),
      problem: state.lastUpstreamError,
      problemAt: state.lastUpstreamErrorAt,
    },
  };
}
