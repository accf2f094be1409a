import Link from "next/link";
import { Banner } from "@/app/components/banner";
import { db } from "@/lib/db/client";
import { MAIL_ROLES, roleAccount, roleUsesMicrosoft, ROLE_LABELS } from "@/lib/microsoft/client-safe/mail-roles";
import { getEmailSettings } from "@/lib/settings/email-repository";

/**
 * On every admin page: Microsoft connections in use that need re-authorization (a failed refresh,
 * e.g. by the daily keep-alive, is never silent).
 */
export async function ConnectionHealthBanner() {
  let failing: { account: string; roles: string[]; reason: string | null }[] = [];
  try {
    const rows = await db.oAuthConnection.findMany({
      where: { status: "needs_reauth" },
      select: { account: true, lastError: true },
    });
    if (rows.length === 0) return null;
    const settings = await getEmailSettings();
    failing = rows
      .map((r) => ({
        account: r.account,
        roles: MAIL_ROLES.filter(
          (role) => roleUsesMicrosoft(settings, role) && roleAccount(settings, role) === r.account,
        ).map((role) => ROLE_LABELS[role].title),
        reason: r.lastError,
      }))
      .filter((f) => f.roles.length > 0);
  } catch {
    return null; // the page itself reports database problems
  }
  if (failing.length === 0) return null;
  return (
    <div data-testid="connection-health-banner">
      <Banner kind="err">
        {failing.map((f) => (
          <p key={f.account} style={{ margin: ".25rem 0" }}>
            <strong>
              Microsoft sign-in for {f.account} ({f.roles.join(", ")}) needs re-authorization.
            </strong>{" "}
            {f.reason} <Link href="/settings/email#microsoft-connections">Re-Authorize on Email Settings</Link>
          </p>
        ))}
      </Banner>
    </div>
  );
}
