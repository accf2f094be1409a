import { Banner } from "@/app/components/banner";
import { formatUtc } from "@/lib/format/client-safe/utc";
import { ROLE_LABELS } from "@/lib/microsoft/client-safe/mail-roles";
import type { RoleStatus } from "@/lib/microsoft/mail-role-status";

/** An Application (app-only) role: no Authorize, the app's token; status from the latest token request. */
export function AppRoleCard({ view }: { view: RoleStatus }) {
  const label = ROLE_LABELS[view.role];
  const c = view.appConnection;
  return (
    <section className="panel" aria-labelledby={`conn-${view.role}-title`} data-testid={`connection-${view.role}`}>
      <h2 id={`conn-${view.role}-title`}>{label.title}</h2>
      <p className="hint flush-top">
        Mailbox <strong>{view.mailbox ?? "(not set)"}</strong> · Application (app-only, client credentials): no user
        signs in, nothing to authorize
      </p>
      <div data-testid={`connection-${view.role}-status`}>
        {!c ? (
          <p className="tight">No app token yet: run Test Email Configuration.</p>
        ) : c.status === "failing" ? (
          <Banner kind="err">
            <strong>Not working.</strong> {c.lastError}
          </Banner>
        ) : (
          <>
            <p className="tight status-ok">Healthy</p>
            <p className="hint">
              Token roles: {c.tokenRoles.join(", ") || "none"} · Last token:{" "}
              {c.lastTokenAt ? formatUtc(c.lastTokenAt, "minute") : "never"}
            </p>
          </>
        )}
      </div>
    </section>
  );
}
