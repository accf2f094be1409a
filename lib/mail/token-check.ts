import "server-only";
import { formatUtc } from "@/lib/format/client-safe/utc";
import type { OAuthLogin } from "@/lib/mail/mail-check";
import { redact } from "@/lib/mail/redact";
import { CHECK_NAMES, type CheckCard, type CheckId } from "@/lib/mail/client-safe/types";
import type { MailRole } from "@/lib/microsoft/client-safe/mail-roles";
import type { AppTokenFacts } from "@/lib/microsoft/app-token";
import type { ConnectionType } from "@/lib/microsoft/client-safe/mail-roles";
import type { MailToken } from "@/lib/microsoft/mail-token";
import { MicrosoftTokenError, NeedsReauthorizationError, NotConnectedError } from "@/lib/microsoft/errors/token-errors";

/**
 * The Microsoft token card of a mailbox role: a silent token acquisition, timed, with where the
 * token came from (cache or refresh) or why there is none (re-authorization, not connected,
 * Microsoft's refusal). The only module that reads a mail token's fields.
 */

export const TOKEN_CHECK = { smtp: "smtp-token", imap: "imap-token" } as const satisfies Record<MailRole, CheckId>;

/** A token card, and the XOAUTH2 credentials when there is a token. */
export type TokenStep = {
  card: CheckCard;
  credentials: { accessToken: string; signedIn: string; app?: AppTokenFacts } | null;
};

function formatExpiry(d: Date | null): string {
  return d ? formatUtc(d, "minute") : "unknown";
}

export async function tokenCheck(
  role: MailRole,
  expected: string,
  acquire: (role: MailRole) => Promise<MailToken>,
  reused: boolean,
  connectionType: ConnectionType = "delegated",
): Promise<TokenStep> {
  const id = TOKEN_CHECK[role];
  const started = performance.now();
  try {
    // the one place that reads a token's fields
    const { accessToken, signedInAs: signedIn, mailbox, expiresOn, fromCache, app } = await acquire(role);
    const ms = Math.round(performance.now() - started);
    if (app) {
      const source = fromCache
        ? "reused from the app's token cache (no token request)"
        : "requested from Microsoft by client credentials";
      return {
        // XOAUTH2 user= of an app-only token is the mailbox (no user signed in)
        credentials: { accessToken, signedIn: mailbox, app },
        card: {
          id,
          name: CHECK_NAMES[id],
          status: "ok",
          ok: true,
          ms,
          phases: [{ name: "token", ms, ok: true, detail: fromCache ? "cache" : "client credentials" }],
          summary: `App-only token of ${app.clientId} for ${mailbox} (roles: ${app.roles.join(", ")}), valid until ${formatExpiry(expiresOn)}: ${source}.`,
          serverResponse: null,
          hint: null,
          facts: {
            connection: "application",
            app: app.clientId,
            mailbox,
            roles: app.roles.join(" "),
            expires: formatExpiry(expiresOn),
            source: fromCache ? "cache" : "client credentials",
          },
        },
      };
    }
    const how = fromCache
      ? reused
        ? "reused from the cache (same account as SMTP: no second token request)"
        : "from the token cache"
      : "refreshed at Microsoft (new refresh token stored)";
    return {
      credentials: { accessToken, signedIn },
      card: {
        id,
        name: CHECK_NAMES[id],
        status: "ok",
        ok: true,
        ms,
        phases: [{ name: "token", ms, ok: true, detail: fromCache ? "cache" : "refresh" }],
        summary: `Access token for ${signedIn}, valid until ${formatExpiry(expiresOn)}: ${how}.`,
        serverResponse: null,
        hint: null,
        facts: {
          account: signedIn,
          mailbox,
          expires: formatExpiry(expiresOn),
          source: fromCache ? "cache" : "refreshed",
        },
      },
    };
  } catch (error) {
    return {
      credentials: null,
      card:
        connectionType === "application"
          ? appTokenFailureCard(role, expected, error, Math.round(performance.now() - started))
          : tokenFailureCard(role, expected, error, Math.round(performance.now() - started)),
    };
  }
}

/** Why an Application role has no token: nothing to authorize, the fix is in Azure or the settings. */
function appTokenFailureCard(role: MailRole, mailbox: string, error: unknown, ms: number): CheckCard {
  const id = TOKEN_CHECK[role];
  const message = redact(error instanceof Error ? error.message : String(error));
  const base = {
    id,
    name: CHECK_NAMES[id],
    status: "failed" as const,
    ok: false,
    ms,
    phases: [{ name: "token" as const, ms, ok: false }],
  };
  if (error instanceof MicrosoftTokenError) {
    const t = error.translated;
    return {
      ...base,
      summary: `No app-only token for ${mailbox}: ${t.summary}`,
      serverResponse: t.microsoftText ?? (t.code ? `${t.code}` : null),
      hint: t.fix,
      ...(t.link ? { links: [{ label: t.link.label, href: t.link.href }] } : {}),
    };
  }
  return {
    ...base,
    summary: `No app-only token for ${mailbox}: ${message}`,
    serverResponse: null,
    hint: "Check the Microsoft settings (Client Id, Client Secret, Tenant Id, cloud) and the network, then try again.",
  };
}

function tokenFailureCard(role: MailRole, account: string, error: unknown, ms: number): CheckCard {
  const id = TOKEN_CHECK[role];
  const base = {
    id,
    name: CHECK_NAMES[id],
    status: "failed" as const,
    ok: false,
    ms,
    phases: [{ name: "token" as const, ms, ok: false }],
  };
  const message = redact(error instanceof Error ? error.message : String(error));
  if (error instanceof NeedsReauthorizationError) {
    return {
      ...base,
      summary: `Needs re-authorization: Microsoft can no longer renew the sign-in of ${account}.`,
      serverResponse: error.code ? `${error.code}: ${message}` : message,
      hint: `${message} Click Re-Authorize and sign in as ${account}.`,
      reauthorize: role,
    };
  }
  if (error instanceof NotConnectedError) {
    return {
      ...base,
      summary: `Not authorized: ${message}`,
      serverResponse: null,
      hint: `Click Authorize on Email Settings and sign in to Microsoft as ${account}.`,
      reauthorize: role,
    };
  }
  if (error instanceof MicrosoftTokenError) {
    return {
      ...base,
      summary: `Microsoft did not issue a token: ${error.translated.summary}`,
      serverResponse: error.translated.microsoftText ?? message,
      hint: error.translated.fix,
    };
  }
  return {
    ...base,
    summary: `Could not get a token for ${account}: ${message}`,
    serverResponse: message,
    hint: "Check the Microsoft settings and the network, then try again.",
  };
}

/**
 * The credentials a Microsoft role signs in with: null when there is no token (the check then does not run).
 * `user`: the XOAUTH2 `user=`; left out, the account the token belongs to. Exchange Online takes SMTP AUTH
 * only as the token's own user (a shared mailbox is then the sender, in MAIL FROM and From:), while IMAP
 * names the mailbox to open (a shared one with Full Access).
 */
export function oauthLogin(token: Promise<TokenStep>, user?: string): Promise<OAuthLogin | null> {
  return token.then(({ credentials }) =>
    credentials
      ? {
          kind: "xoauth2",
          user: user ?? credentials.signedIn,
          accessToken: credentials.accessToken,
          account: credentials.app ? null : credentials.signedIn,
          ...(credentials.app ? { app: credentials.app } : {}),
        }
      : null,
  );
}
