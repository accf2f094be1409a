"use client";
import { useState } from "react";
import { CopyButton } from "@/app/components/copy-button";
import { type AppRoleMailbox, appOnlySetup, appPermissionGrants } from "@/lib/microsoft/client-safe/app-only-setup";
import { ROLE_LABELS } from "@/lib/microsoft/client-safe/mail-roles";
import { GRAPH_APPLICATION_PERMISSION } from "@/lib/microsoft/client-safe/smtp-transport";

/**
 * Email Settings → app-only setup: what Azure and Exchange need for the Application roles, with the
 * admin's own ids. The PowerShell is generated as the Enterprise application's object id is typed
 * (it stays in this browser: nothing is saved).
 */
export function AppOnlySetupPanel({
  clientId,
  tenantId,
  mailboxes,
  adminConsentUrl,
  portal,
}: {
  clientId: string | null;
  tenantId: string | null;
  mailboxes: AppRoleMailbox[];
  adminConsentUrl: string | null;
  /** The cloud's Azure portal: Enterprise applications live there. */
  portal: string;
}) {
  const [objectId, setObjectId] = useState("");
  const setup = appOnlySetup({ clientId, tenantId, servicePrincipalObjectId: objectId, mailboxes });
  const grants = appPermissionGrants(mailboxes);
  const graphSender = mailboxes.find((m) => m.graph);
  return (
    <section className="panel" id="app-only-setup" aria-labelledby="app-only-setup-title" data-testid="app-only-setup">
      <h2 id="app-only-setup-title">App-only setup (Application connections)</h2>
      <p className="hint flush-top">
        Used by: {mailboxes.map((m) => `${ROLE_LABELS[m.role].title} (${m.mailbox})`).join(", ")}. No user signs in: the
        app gets its own token with the client secret, for the cloud’s Exchange resource.
      </p>
      <ol className="spaced-sm">
        <li>
          Azure: App registrations → {clientId ?? "your app"} → API permissions → Add a permission →{" "}
          {grants.map((g, i) => (
            <span key={g.api} data-testid={`app-permission-${g.api === "Microsoft Graph" ? "graph" : "exchange"}`}>
              {i ? "; and " : ""}
              {g.api === "Microsoft Graph" ? "" : "APIs my organization uses → "}
              <strong>{g.api}</strong> → Application permissions → <strong>{g.permissions.join(", ")}</strong>
            </span>
          ))}
          , then <strong>Grant admin consent</strong>
          {adminConsentUrl ? (
            <>
              {" "}
              (or <a href={adminConsentUrl}>open the admin consent link</a> as an administrator)
            </>
          ) : null}
          .
          {graphSender ? (
            <p className="hint">
              Microsoft Graph’s application {GRAPH_APPLICATION_PERMISSION} lets the app send as any mailbox of the
              tenant, so {graphSender.mailbox} needs no mailbox permission in Exchange below.
            </p>
          ) : null}
        </li>
        <li>
          Find the <strong>Object ID of the Enterprise application</strong>:{" "}
          <a href={`${portal}/#view/Microsoft_AAD_IAM/StartboardApplicationsMenuBlade/~/AppAppsPreview`}>
            Entra ID → Enterprise applications
          </a>{" "}
          → search {clientId ?? "the Application (client) ID"} → Object ID.
          <p className="hint">
            Not the Object ID on the App registrations page: that is the app registration’s, the usual mistake. Exchange
            accepts it, and the app is still refused (535 5.7.3 / AUTHENTICATE failed).
          </p>
          <div className="field">
            <label htmlFor="app-only-object-id">Object ID of the Enterprise application</label>
            <input
              id="app-only-object-id"
              type="text"
              spellCheck={false}
              autoComplete="off"
              value={objectId}
              onChange={(e) => setObjectId(e.target.value)}
              aria-describedby="app-only-object-id-problem"
            />
            {setup.objectIdProblem ? (
              <p className="hint" id="app-only-object-id-problem">
                {setup.objectIdProblem}
              </p>
            ) : null}
          </div>
        </li>
        <li>
          Exchange Online PowerShell (as an Exchange administrator):
          <ul className="plain-list">
            {setup.commands.map((c) => (
              <li key={c.id} data-testid={`ps-${c.id}`}>
                <span className="hint">{c.label}</span>
                <span className="copy-row">
                  <code className="code" data-copy-source={c.command}>
                    {c.command}
                  </code>
                  <CopyButton text={c.command} label={`Copy ${c.label}`} />
                </span>
              </li>
            ))}
          </ul>
          <p className="hint">Exchange can take a few minutes to apply them. Then run Test Email Configuration.</p>
        </li>
      </ol>
    </section>
  );
}
