import Link from "next/link";
import { Banner } from "@/app/components/banner";
import { ROLE_LABELS } from "@/lib/microsoft/client-safe/mail-roles";
import { loadMailRolesForPage } from "@/lib/microsoft/mail-roles-loader";
import { failingMailboxes } from "@/lib/monitor/status-page-data";
import { formatUtc } from "@/lib/format/client-safe/utc";

/**
 * On every admin page: Microsoft connections in use that need re-authorization (a failed refresh,
 * e.g. by the health monitor, is never silent), and the mailboxes the health monitor found failing.
 */
export async function ConnectionHealthBanner() {
  let failing: { account: string; roles: string[]; reason: string | null }[];
  let appFailing: { role: string; mailbox: string; reason: string | null }[];
  let monitored: { role: string; mailbox: string; since: Date; summary: string | null }[];
  try {
    const [{ status }, down] = await Promise.all([loadMailRolesForPage(), failingMailboxes()]);
    // a role already named above (re-authorization, app-only access) is not named twice
    const named = new Set([...status.needsReauth.flatMap((a) => a.roles), ...status.appFailing.map((a) => a.role)]);
    monitored = down.filter((d) => !named.has(d.role)).map((d) => ({ ...d, role: ROLE_LABELS[d.role].title }));
    failing = status.needsReauth.map((a) => ({
      account: a.account,
      roles: a.roles.map((role) => ROLE_LABELS[role].title),
      reason: a.connection.lastError,
    }));
    appFailing = status.appFailing.map((a) => ({
      role: ROLE_LABELS[a.role].title,
      mailbox: a.connection.mailbox,
      reason: a.connection.lastError,
    }));
  } catch {
    return null; // the page itself reports database problems
  }
  if (failing.length === 0 && appFailing.length === 0 && monitored.length === 0) return null;
  return (
    <div data-testid="connection-health-banner">
      <Banner kind="err">
        {failing.map((f) => (
          <p key={f.account} className="tight">
            <strong>
              Microsoft sign-in for {f.account} ({f.roles.join(", ")}) needs re-authorization.
            </strong>{" "}
            {f.reason} <Link href="/settings/email#microsoft-connections">Re-Authorize on Email Settings</Link>
          </p>
        ))}
        {appFailing.map((f) => (
          <p key={`app-${f.role}`} className="tight">
            <strong>
              App-only access to {f.mailbox} ({f.role}) does not work.
            </strong>{" "}
            {f.reason} <Link href="/settings/email#app-only-setup">App-only setup on Email Settings</Link>
          </p>
        ))}
        {monitored.map((f) => (
          <p key={`monitor-${f.role}`} className="tight" data-testid="failing-mailbox">
            <strong>
              {f.role} ({f.mailbox}) is failing since {formatUtc(f.since)}.
            </strong>{" "}
            {f.summary} <Link href="/settings/status">Status</Link>
          </p>
        ))}
      </Banner>
    </div>
  );
}
