import "server-only";
import { imapAuthUser } from "@/lib/mail/imap-identity";
import { listCredentials } from "@/lib/relay/credential-repository";
import { getImapEnabled, imapTodayCounts, recentImapLogins } from "@/lib/relay/imap/imap-repository";
import { imapGatewayPort, relayHost } from "@/lib/relay/relay-runtime";
import { getEmailSettings } from "@/lib/settings/email-repository";

/** The Relay page's IMAP gateway part: the switch, where it signs in, the scopes with today's counters, sign-ins. */
export async function imapPageData() {
  const [state, credentials, logins, settings] = await Promise.all([
    getImapEnabled(),
    listCredentials(),
    recentImapLogins(50),
    getEmailSettings(),
  ]);
  const active = credentials.filter((c) => !c.revokedAt);
  const withCounts = await Promise.all(
    active.map(async (c) => ({
      id: c.id,
      name: c.name,
      mailboxes: c.imapMailboxes,
      today: await imapTodayCounts(c.id),
    })),
  );
  const mailbox = imapAuthUser(settings);
  const blocker =
    settings.imapAuthType !== "microsoft" || !mailbox
      ? "Email Settings do not sign in to the Approval Reply mailbox (IMAP) with Microsoft OAuth: the gateway refuses every login until they do."
      : !settings.imapHost || !settings.imapPort
        ? "The IMAP host and port are not set in Email Settings."
        : settings.imapSecurity === "none"
          ? "The IMAP security of Email Settings is None: the gateway never sends a Microsoft token unencrypted."
          : null;
  return {
    enabled: state.enabled,
    host: relayHost(),
    port: imapGatewayPort(),
    mailbox,
    upstream: blocker ? null : `${settings.imapHost}:${settings.imapPort} (${settings.imapSecurity.toUpperCase()})`,
    blocker,
    credentials: withCounts,
    logins: logins.map((l) => ({
      id: l.id,
      at: l.createdAt,
      credential: l.credentialName,
      mailbox: l.mailbox,
      outcome: l.outcome,
      reason: l.reason,
    })),
  };
}
