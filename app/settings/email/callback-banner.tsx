import type { ReactNode } from "react";
import { Banner } from "@/app/components/banner";
import { AUTHORIZE_ROUTE } from "@/app/settings/email/connection-controls";
import type { CallbackResult } from "@/lib/microsoft/callback-result";
import { ROLE_LABELS, type MailRole, type RoleSettings } from "@/lib/microsoft/client-safe/mail-roles";
import type { TranslatedError } from "@/lib/microsoft/errors/translate";

/**
 * Email Settings → Microsoft connections: the banner after Microsoft's redirect back (connected, the
 * wrong account with the alias confirmation, Microsoft's error translated), and a translated error's details.
 */

/** "the SMTP user" / "the Approval Reply Address" / "the Sign in as user of the SMTP sender" */
function expectedLabel(s: RoleSettings, roles: MailRole[]): string {
  return roles
    .map((r) =>
      (r === "smtp" ? s.smtpSignInAs : s.imapSignInAs)
        ? `the “Sign in as” user of the ${ROLE_LABELS[r].title}`
        : `the ${ROLE_LABELS[r].mailboxField}`,
    )
    .join(" and ");
}

export function ErrorDetails({ error }: { error: TranslatedError }) {
  return (
    <>
      <strong>{error.summary}</strong> {error.fix}
      {error.link ? (
        <>
          {" "}
          <a href={error.link.href}>{error.link.label}</a>.
        </>
      ) : null}
      {error.microsoftText ? (
        <details>
          <summary>Microsoft’s message</summary>
          <p className="code">
            {error.microsoftText}
            {error.correlationId ? ` (correlation id ${error.correlationId})` : ""}
          </p>
        </details>
      ) : null}
    </>
  );
}

export function ResultBanner({ result, settings }: { result: CallbackResult; settings: RoleSettings }): ReactNode {
  const roles = result.roles.map((r) => ROLE_LABELS[r].short).join(" and ");
  switch (result.kind) {
    case "connected":
      return (
        <Banner kind="ok">
          Connected as <strong>{result.username}</strong>
          {result.alias ? ` (confirmed by you as the sign-in for ${result.expected})` : ""} for {roles}. Use Test Email
          Configuration to check sending and reading.
        </Banner>
      );
    case "wrong_user":
      return (
        <div data-testid="wrong-user">
          <Banner kind="err">
            <p className="flush-top">
              <strong>Wrong Microsoft account.</strong> You signed in to Microsoft as{" "}
              <strong>{result.signedInAs}</strong>, but {expectedLabel(settings, result.roles)} is{" "}
              <strong>{result.expected}</strong>. Nothing was stored; the previous connection, if any, still works.
            </p>
            <p>
              If Microsoft chose that account for you (it was already signed in to this browser: single sign-on),{" "}
              {result.logoutUrl ? (
                <a href={result.logoutUrl} target="_blank" rel="noopener noreferrer">
                  sign out of Microsoft
                </a>
              ) : (
                "sign out of Microsoft"
              )}{" "}
              or use a private (incognito) window. If you typed it, pick or type <strong>{result.expected}</strong>{" "}
              instead. Then click Re-Authorize.
            </p>
            <p className="flush-bottom">
              Authorizing the wrong account is what otherwise shows up later, when mail is read, as “Bad User is
              Authenticated But Not Connected”.
            </p>
          </Banner>
          <details className="panel panel-compact">
            <summary>
              Is {result.signedInAs} really the same mailbox under another name (an alias, or a sign-in name that
              differs from the address)?
            </summary>
            <form method="post" action={AUTHORIZE_ROUTE} className="spaced-sm">
              <input type="hidden" name="role" value={result.roles[0]} />
              <input type="hidden" name="acceptAccount" value={result.signedInAs} />
              <label className="check">
                <input type="checkbox" name="confirmAlias" value="yes" required /> I confirm that {result.signedInAs}{" "}
                signs in for {result.expected}
              </label>
              <div className="actions">
                <button type="submit" className="btn">
                  Use this account anyway
                </button>
              </div>
              <p className="hint">
                You will be asked to pick the account once more; only {result.signedInAs} or {result.expected} will then
                be accepted.
              </p>
            </form>
          </details>
        </div>
      );
    case "microsoft_error":
      return (
        <Banner kind="err">
          <ErrorDetails error={result.error} /> Nothing was changed.
        </Banner>
      );
    case "error":
      return <Banner kind="err">{result.message}</Banner>;
  }
}
