import type { ReactNode } from "react";
import { RelayUpstreamNote } from "@/app/settings/relay/relay-upstream-note";
import { Banner } from "@/app/components/banner";
import { AuthorizeButton, CheckSignInButton, DisconnectButton } from "@/app/settings/email/connection-controls";
import { requireAdminPage } from "@/lib/auth/guard";
import {
  CALLBACK_PROBLEMS,
  isCallbackProblem,
  knownOAuthError,
  type CallbackResult,
} from "@/lib/microsoft/callback-result";
import { ROLE_LABELS, type MailRole } from "@/lib/microsoft/client-safe/mail-roles";
import { translateMicrosoftError } from "@/lib/microsoft/errors/translate";
import { loadMailRolesForPage } from "@/lib/microsoft/mail-roles-loader";
import type { RoleStatus } from "@/lib/microsoft/mail-role-status";
import { readStateResult } from "@/lib/microsoft/oauth-state";
import { grantedResourceScopes } from "@/lib/microsoft/scopes";
import { formatUtc } from "@/lib/format/client-safe/utc";
import { OriginMismatchWarning } from "@/app/components/browser-origin";
import { AppOnlySetupPanel } from "@/app/settings/email/app-only-setup-panel";
import { AppRoleCard } from "@/app/settings/email/app-role-card";
import { CLOUDS } from "@/lib/microsoft/client-safe/clouds";
import { usesGraph } from "@/lib/microsoft/client-safe/smtp-transport";
import { RefreshTokenLifetime } from "@/app/settings/email/refresh-token-lifetime";
import { ErrorDetails, ResultBanner } from "@/app/settings/email/callback-banner";

function portalOf(cloud: string): string {
  return (CLOUDS as Record<string, { portal: string }>)[cloud]?.portal ?? CLOUDS.global.portal;
}

export type ConnectionPageParams = {
  oauth?: string;
  oauth_error?: string;
  aadsts?: string;
  error?: string;
  ref?: string;
};

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

export function connectionParams(sp: Record<string, string | string[] | undefined>): ConnectionPageParams {
  return {
    oauth: first(sp.oauth),
    oauth_error: first(sp.oauth_error),
    aadsts: first(sp.aadsts),
    error: first(sp.error),
    ref: first(sp.ref),
  };
}

function RoleCard({
  view,
  serverBaseOrigin,
  banner,
}: {
  view: RoleStatus;
  serverBaseOrigin: string | null;
  banner: ReactNode;
}) {
  const label = ROLE_LABELS[view.role];
  const c = view.connection;
  const connected = Boolean(c);
  const healthy = Boolean(c && c.status === "connected" && view.coversRole);
  const who = `${label.title}${view.mailbox ? ` (${view.mailbox})` : ""}`;
  return (
    <section className="panel" aria-labelledby={`conn-${view.role}-title`} data-testid={`connection-${view.role}`}>
      <h2 id={`conn-${view.role}-title`}>{label.title}</h2>
      {banner}
      {!view.usesMicrosoft ? (
        <p className="hint">Not using Microsoft OAuth.</p>
      ) : (
        <p className="hint flush-top">
          Mailbox <strong>{view.mailbox ?? "(not set)"}</strong>
          {view.expected && view.mailbox && view.expected.toLowerCase() !== view.mailbox.toLowerCase() ? (
            <>
              {" "}
              · signs in as <strong>{view.expected}</strong>{" "}
              {view.role === "smtp"
                ? "(delegate with Send As: SMTP authenticates as it and sends from the mailbox)"
                : "(delegate with Full Access: IMAP opens the mailbox)"}
            </>
          ) : null}
          {view.sharedWith
            ? ` · same account as the ${ROLE_LABELS[view.sharedWith].title}: one authorization covers both`
            : ""}
        </p>
      )}
      {c ? (
        <div data-testid={`connection-${view.role}-status`}>
          <p className="tight">
            Connected as <strong>{c.username}</strong>
            {c.username.toLowerCase() !== c.account ? ` (confirmed sign-in for ${c.account})` : ""} since{" "}
            {formatUtc(c.authorizedAt, "minute")} by {c.authorizedBy}.
          </p>
          <p className="hint">
            Scopes: {grantedResourceScopes(c.scopes.join(" ")).join(", ") || "none"} · Last refresh:{" "}
            {c.lastRefreshAt ? formatUtc(c.lastRefreshAt, "minute") : "never"}
          </p>
          {c.status === "connected" ? <RefreshTokenLifetime connection={c} /> : null}
          {c.status === "needs_reauth" ? (
            <Banner kind="err">
              <strong>Needs re-authorization.</strong>{" "}
              {c.lastError ?? "Microsoft no longer accepts the stored sign-in."}
            </Banner>
          ) : !view.coversRole ? (
            <Banner kind="warn">
              <strong>Needs re-authorization.</strong> This authorization does not include{" "}
              {view.graphScopes?.length
                ? `${view.graphScopes.join(", ")}, which sending with Microsoft Graph needs (the sender's transport changed)`
                : label.short}
              : click Re-Authorize to add it.
            </Banner>
          ) : (
            <p className="tight status-ok">Healthy</p>
          )}
        </div>
      ) : view.usesMicrosoft ? (
        <p className="tight">Not connected.</p>
      ) : null}
      {view.usesMicrosoft || c ? (
        <div className="actions">
          {view.usesMicrosoft ? (
            <AuthorizeButton
              role={view.role}
              label={connected ? "Re-Authorize" : "Authorize"}
              who={who}
              secondary={healthy}
              blockers={view.blockers}
              serverBaseOrigin={serverBaseOrigin}
            />
          ) : null}
          {c && view.usesMicrosoft && view.coversRole && c.status === "connected" ? (
            <CheckSignInButton role={view.role} who={who} />
          ) : null}
          {c && view.account ? (
            <DisconnectButton
              role={view.role}
              account={view.account}
              who={who}
              sharedNote={
                view.sharedWith
                  ? `The ${ROLE_LABELS[view.sharedWith].title} uses the same account and is disconnected too.`
                  : null
              }
            />
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

/** Email Settings → Microsoft connections: status, Authorize / Re-Authorize, Disconnect, admin consent, callback results. */
export async function MicrosoftConnections({ params }: { params: ConnectionPageParams }) {
  const admin = await requireAdminPage("/settings/email");
  const { settings, status } = await loadMailRolesForPage();
  const serverBaseOrigin = status.serverBaseUrl ? new URL(status.serverBaseUrl).origin : null;
  const views = status.roles;

  let banner: ReactNode = null;
  /** The wrong-account explanation goes on the affected mailbox's card. */
  let cardBanner: { role: MailRole; node: ReactNode } | null = null;
  if (params.oauth) {
    const result = await readStateResult<CallbackResult>(params.oauth, admin.id);
    if (result?.kind === "wrong_user" && status.anyMicrosoft)
      cardBanner = { role: result.roles[0], node: <ResultBanner result={result} settings={settings} /> };
    else if (result) banner = <ResultBanner result={result} settings={settings} />;
  } else if (isCallbackProblem(params.oauth_error)) {
    if (params.oauth_error === "microsoft") {
      const translated = translateMicrosoftError(
        // Only fixed texts: a known OAuth error code and an AADSTS number, never the URL's own words.
        {
          error: knownOAuthError(params.error),
          code: params.aadsts && /^\d{1,9}$/.test(params.aadsts) ? params.aadsts : null,
        },
        {
          redirectUri: status.redirectUri,
          adminConsentUrl: status.adminConsentUrl,
          tenant: settings.msTenantId,
          clientId: settings.msClientId,
        },
      );
      banner = (
        <Banner kind="err">
          <ErrorDetails error={{ ...translated, microsoftText: null }} /> Nothing was changed.
        </Banner>
      );
    } else {
      const ref = params.ref && /^[0-9a-f]{8}$/.test(params.ref) ? ` (reference ${params.ref})` : "";
      banner = (
        <Banner kind={params.oauth_error === "not_ready" ? "warn" : "err"}>
          {CALLBACK_PROBLEMS[params.oauth_error]}
          {ref}
        </Banner>
      );
    }
  }

  const anyMicrosoft = status.anyMicrosoft;
  const appRoles = views.filter((v) => v.usesMicrosoft && v.connectionType === "application" && v.mailbox);
  const consent = status.adminConsentUrl;
  const logout = status.logoutUrl;

  return (
    <section id="microsoft-connections" aria-labelledby="microsoft-connections-title" className="section-gap">
      <h2 id="microsoft-connections-title" className="section-title">
        Microsoft connections
      </h2>
      <p className="lead lead-tight">
        Authorize signs in to Microsoft as the mailbox user and stores the resulting tokens, encrypted. Sign in to
        Microsoft as that user first, or use a private window: otherwise single sign-on may pick the account already
        signed in to this browser.
      </p>
      <div aria-live="polite">{banner}</div>
      {anyMicrosoft ? <OriginMismatchWarning serverBaseOrigin={serverBaseOrigin} /> : null}
      {anyMicrosoft && status.redirectChangedFrom ? (
        <div className="spaced" data-testid="redirect-changed">
          <Banner kind="warn">
            The redirect URI changed since Microsoft last accepted it: Microsoft accepted{" "}
            <code className="code">{status.redirectChangedFrom}</code>, and Authorize now sends{" "}
            <code className="code">{status.redirectUri}</code>. Add the new one in the Azure portal (App registrations →
            your app → Authentication → Redirect URIs) before you authorize, or Microsoft answers AADSTS50011.
          </Banner>
        </div>
      ) : null}
      {anyMicrosoft ? (
        views.map((v) =>
          v.usesMicrosoft && v.connectionType === "application" ? (
            <AppRoleCard key={v.role} view={v} />
          ) : (
            <RoleCard
              key={v.role}
              view={v}
              serverBaseOrigin={serverBaseOrigin}
              banner={
                <>
                  {cardBanner?.role === v.role ? cardBanner.node : null}
                  {v.role === "smtp" ? <RelayUpstreamNote /> : null}
                </>
              }
            />
          ),
        )
      ) : (
        <p className="placeholder">
          Choose Microsoft OAuth as the SMTP auth type (or for the Approval Reply Address) and save, to authorize a
          mailbox.
        </p>
      )}
      {appRoles.length ? (
        <AppOnlySetupPanel
          clientId={settings.msClientId}
          tenantId={settings.msTenantId}
          mailboxes={appRoles.map((r) => ({
            role: r.role,
            mailbox: r.mailbox ?? "",
            graph: r.role === "smtp" && usesGraph(settings),
          }))}
          adminConsentUrl={consent}
          portal={portalOf(settings.msCloud)}
        />
      ) : null}
      {anyMicrosoft ? (
        <p className="hint">
          {consent ? (
            <>
              Permissions need an administrator’s approval in your tenant? <a href={consent}>Grant admin consent</a>{" "}
              (sign in as a Microsoft 365 administrator).{" "}
            </>
          ) : null}
          {logout ? (
            <>
              Wrong account signed in to Microsoft in this browser?{" "}
              <a href={logout} target="_blank" rel="noopener noreferrer">
                Sign out of Microsoft
              </a>
              .
            </>
          ) : null}
        </p>
      ) : null}
    </section>
  );
}
