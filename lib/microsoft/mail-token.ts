import "server-only";
import { AuthError, type AccountInfo } from "@azure/msal-node";
import { recordAudit } from "@/lib/audit/audit-log";
import { SecretDecryptionError } from "@/lib/crypto/secret-box";
import {
  findConnection,
  graphHostProblem,
  mailHostProblem,
  markNeedsReauth,
  saveRefreshedCache,
} from "@/lib/microsoft/connection-repository";
import { acquireAppMailToken, type AppTokenFacts } from "@/lib/microsoft/app-token";
import {
  roleAccount,
  roleConnectionType,
  roleMailbox,
  roleUsesMicrosoft,
  ROLE_LABELS,
  type MailRole,
} from "@/lib/microsoft/client-safe/mail-roles";
import { LeaseBusyError, withLease } from "@/lib/microsoft/lease";
import { isReauthorizationError, translateMsalError } from "@/lib/microsoft/errors/msal";
import { IdentityNetworkError, translateNetworkFailure } from "@/lib/microsoft/errors/network";
import { MicrosoftTokenError, NeedsReauthorizationError, NotConnectedError } from "@/lib/microsoft/errors/token-errors";
import { describeTranslated, type TranslatedError } from "@/lib/microsoft/errors/translate";
import { createMsalClient, loadMicrosoftConfig, type MicrosoftConfig } from "@/lib/microsoft/msal-client";
import { identityNetworkClient } from "@/lib/microsoft/network-client";
import { grantedResourceScopes, grantsRole } from "@/lib/microsoft/scopes";
import { resolveCloud } from "@/lib/microsoft/client-safe/clouds";
import { grantsGraphSend, graphTokenScopes } from "@/lib/microsoft/client-safe/smtp-transport";
import { ConnectionCachePlugin, openCache, sealCache } from "@/lib/microsoft/token-cache-plugin";
import { logger } from "@/lib/log/logger";
import { countTokenRefresh } from "@/lib/metrics/metrics";

const log = logger("token");

export type { MailRole } from "@/lib/microsoft/client-safe/mail-roles";

export type MailToken = {
  accessToken: string;
  /** The mailbox the token is for: the XOAUTH2 user. */
  mailbox: string;
  /** The Microsoft account that signed in for it (the connection's lower-cased sign-in name). */
  signedInAs: string;
  expiresOn: Date | null;
  fromCache: boolean;
  /** An Application (app-only) connection's token: the app's, not a user's. */
  app?: AppTokenFacts;
};

// Per connection: the lease lives at most this long (longer than two network timeouts of 20 s:
// discovery + token), and a caller without a give-up time waits at most this long for another
// caller's refresh (Test Email Configuration gives up at its overall timeout).
const REFRESH_LEASE_TTL_MS = 60_000;
const REFRESH_LEASE_WAIT_MS = 45_000;

/**
 * `purpose`: "mail" (default) hands the token to the role's mail host, which must be the one saved
 * with the connection; "refresh" only renews the sign-in at Microsoft (keep-alive, Check sign-in).
 */
type Options = {
  forceRefresh?: boolean;
  purpose?: "mail" | "refresh";
  /**
   * When the caller gives up (`at`, ms since the epoch; `ms`: the budget it had, for the message).
   * The refresh itself goes on under its lease and saves what Microsoft answers, however late: a
   * rotated refresh token is never lost. Giving up never marks the connection as failed.
   */
  giveUpAt?: { at: number; ms: number };
  /**
   * A Microsoft Graph token for sending (the SMTP role with the Graph transport): delegated
   * `<graph>/Mail.Send` (or `Mail.Send.Shared`) from the same refresh token, or app-only `<graph>/.default`.
   */
  graph?: boolean;
};

/**
 * Silent token for the role's account; persists the rotated refresh token on every refresh.
 *
 * Concurrency: Microsoft rotates the refresh token on every use, and each use mints a newer one.
 * Two refreshes of one connection at the same moment would both present the same refresh token
 * and get two different new ones; whichever is saved last wins, and it may not be the newest.
 * So refreshes of one connection are serialised through a database lease (`Lease` row
 * `oauth-refresh:<connection id>`), which works across instances. Inside the lease the row is
 * read again — the previous holder's refresh is then in the cache, and MSAL answers from it
 * without a network call. The write back is also conditional on the row's `version`, so a
 * Re-Authorize or Disconnect that happened during the refresh is never overwritten by it.
 *
 * Why this holds on PostgreSQL with several instances as on SQLite: taking the lease is an INSERT
 * on the `Lease` primary key (only one instance's INSERT succeeds; the others get a unique
 * violation) or, for an expired lease, `UPDATE … WHERE expiresAt <= now` — PostgreSQL row-locks the
 * row for the first UPDATE, the second waits and re-checks the WHERE after the first commits, finds
 * the new expiry and updates nothing. The cache write is `UPDATE … WHERE version = <read version>`
 * (same re-check), so even a holder whose lease expired mid-refresh cannot replace a newer cache.
 * Proven with two app instances on one PostgreSQL in test/instances/two-instances.itest.ts.
 */
export function acquireMailToken(role: MailRole, options: Options = {}): Promise<MailToken> {
  const seen: Seen = { host: null, connectionId: null };
  const work = acquire(role, options, seen);
  // Bounded as a whole (reading the settings and the row included), not only the network calls.
  return options.giveUpAt ? outwait(work, options.giveUpAt, seen, role) : work;
}

/** What the give-up message and log line name, as far as the acquisition got. */
type Seen = { host: string | null; connectionId: string | null };

async function acquire(role: MailRole, options: Options, seen: Seen): Promise<MailToken> {
  const config = await loadMicrosoftConfig();
  if ("problem" in config) throw new NotConnectedError(config.problem, role);
  const label = ROLE_LABELS[role];
  if (!roleUsesMicrosoft(config.settings, role)) {
    throw new NotConnectedError(`${label.title} does not use Microsoft OAuth in the saved Email Settings.`, role);
  }
  if (roleConnectionType(config.settings, role) === "application") {
    seen.host = new URL(config.authorityOrigin).host;
    const t = await acquireAppMailToken(role, config, { forceRefresh: options.forceRefresh, graph: options.graph });
    return { ...t, signedInAs: `the app ${config.clientId}` };
  }
  const account = roleAccount(config.settings, role);
  const mailbox = roleMailbox(config.settings, role);
  if (!account || !mailbox) throw new NotConnectedError(`${label.mailboxField} is not set.`, role);

  const first = await findConnection(account);
  if (!first)
    throw new NotConnectedError(
      `${label.title} is not authorized yet: click Authorize on Email Settings and sign in as ${account}.`,
      role,
    );
  checkUsable(first, role, config, options);

  const giveUp = options.giveUpAt;
  const host = new URL(config.authorityOrigin).host;
  seen.host = host;
  seen.connectionId = first.id;
  const waitMs = giveUp ? Math.max(0, Math.min(REFRESH_LEASE_WAIT_MS, giveUp.at - Date.now())) : REFRESH_LEASE_WAIT_MS;
  const work = withLease(`oauth-refresh:${first.id}`, { ttlMs: REFRESH_LEASE_TTL_MS, waitMs }, async () => {
    const row = await findConnection(account);
    if (!row) throw new NotConnectedError(`${label.title} was disconnected.`, role);
    checkUsable(row, role, config, options);

    let cacheJson: string;
    try {
      cacheJson = openCache(row.cacheEnc, row.account);
    } catch (error) {
      if (!(error instanceof SecretDecryptionError)) throw error;
      const t = reauthReason(
        "The stored Microsoft sign-in cannot be decrypted (the encryption key changed?).",
        "cache_unreadable",
      );
      await markNeedsReauth(row.id, row.version, t);
      throw new NeedsReauthorizationError(describeTranslated(t), role, t.code ?? undefined);
    }

    let refreshedAt: Date | null = null;
    const plugin = new ConnectionCachePlugin(cacheJson, async (serialized) => {
      refreshedAt = new Date();
      const saved = await saveRefreshedCache(row.id, row.version, sealCache(serialized, row.account), refreshedAt);
      if (!saved) {
        // Re-authorized or disconnected while we refreshed: theirs is newer; keep it.
        log.warn({ connection: row.id }, "connection changed during a refresh; the refreshed cache was not saved");
      }
    });
    const network = identityNetworkClient();
    const msal = createMsalClient(config, plugin, network);
    const accountInfo: AccountInfo | null = await msal.getTokenCache().getAccountByHomeId(row.homeAccountId);
    if (!accountInfo) {
      const t = reauthReason("The stored Microsoft sign-in holds no account.", "no_account");
      await markNeedsReauth(row.id, row.version, t);
      throw new NeedsReauthorizationError(describeTranslated(t), role, t.code ?? undefined);
    }
    try {
      const result = await msal.acquireTokenSilent({
        account: accountInfo,
        scopes: options.graph
          ? graphTokenScopes(config.settings, resolveCloud(config.settings).graphResource)
          : grantedResourceScopes(row.scopes),
        forceRefresh: options.forceRefresh ?? false,
      });
      if (plugin.persistError) {
        // The new refresh token replaced the old one at Microsoft but is not stored: refuse to
        // pretend all is well (the next refresh would still work with the old token, which
        // Microsoft keeps valid, but the admin must know the database is failing).
        throw new Error("The refreshed Microsoft sign-in could not be saved to the database.");
      }
      if (!result?.accessToken) throw new Error("Microsoft returned no access token.");
      if (!result.fromCache) countTokenRefresh("delegated", true);
      return {
        accessToken: result.accessToken,
        mailbox,
        signedInAs: row.account,
        expiresOn: result.expiresOn ?? null,
        fromCache: result.fromCache,
      };
    } catch (error) {
      countTokenRefresh("delegated", false);
      if (isReauthorizationError(error)) {
        const t = translateMsalError(error);
        const marked = await markNeedsReauth(row.id, plugin.changed ? row.version + 1 : row.version, t);
        if (marked) {
          await recordAudit(null, {
            action: "microsoft.needs_reauth",
            target: row.account,
            details: { role, code: t.code, reason: t.summary },
          });
        }
        throw new NeedsReauthorizationError(describeTranslated(t), role, t.code ?? undefined);
      }
      if (error instanceof AuthError)
        throw new MicrosoftTokenError(
          translateMsalError(error, { clientId: config.clientId, tenant: config.tenant }, network),
          role,
        );
      throw error;
    }
  }).catch((error: unknown) => {
    if (error instanceof LeaseBusyError && giveUp) {
      // the other holder is still waiting for Microsoft
      throw new MicrosoftTokenError(
        translateNetworkFailure(new IdentityNetworkError("timeout", host, "token response", giveUp.ms)),
        role,
      );
    }
    if (error instanceof LeaseBusyError) {
      throw new MicrosoftTokenError(
        {
          code: null,
          summary: error.message,
          fix: "Try again in a moment.",
          microsoftText: null,
          correlationId: null,
          needsReauth: false,
        },
        role,
      );
    }
    throw error;
  });
  return work;
}

/** The token, or a "did not answer" error at the give-up time while `work` goes on (and is logged) in the background. */
async function outwait(
  work: Promise<MailToken>,
  giveUp: { at: number; ms: number },
  seen: Seen,
  role: MailRole,
): Promise<MailToken> {
  let late = false;
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => {
        late = true;
        reject(
          new MicrosoftTokenError(
            translateNetworkFailure(
              new IdentityNetworkError("timeout", seen.host ?? "the configured authority", "token response", giveUp.ms),
            ),
            role,
          ),
        );
      },
      Math.max(0, giveUp.at - Date.now()),
    );
  });
  void work.then(
    () => {
      if (late) log.info({ connection: seen.connectionId }, "a late answer from Microsoft was saved");
    },
    (error: unknown) => {
      if (late)
        log.warn(
          { connection: seen.connectionId, error: error instanceof Error ? error.name : "error" },
          "the refresh that outlived its caller failed",
        );
    },
  );
  try {
    return await Promise.race([work, gaveUp]);
  } finally {
    clearTimeout(timer);
  }
}

function checkUsable(
  row: Parameters<typeof mailHostProblem>[0] &
    Parameters<typeof graphHostProblem>[0] & {
      status: string;
      lastError: string | null;
      lastErrorCode: string | null;
      scopes: string;
    },
  role: MailRole,
  config: MicrosoftConfig,
  options: Options,
): void {
  if (row.status === "needs_reauth") {
    throw new NeedsReauthorizationError(
      row.lastError ?? "The Microsoft sign-in needs to be renewed: click Re-Authorize.",
      role,
      row.lastErrorCode ?? undefined,
    );
  }
  if (options.graph) {
    const graphResource = resolveCloud(config.settings).graphResource;
    if (!grantsGraphSend(grantedResourceScopes(row.scopes), config.settings, graphResource)) {
      throw new NeedsReauthorizationError(
        `The Microsoft authorization of this account does not include ${graphTokenScopes(config.settings, graphResource).join(", ")}, which sending with Microsoft Graph needs (granted: ${grantedResourceScopes(row.scopes).join(", ") || "none"}). Click Re-Authorize to add it.`,
        role,
        "scope_missing",
      );
    }
    // the token goes to Graph: to the Graph host saved with the authorization, not to the mail host
    const moved = graphHostProblem(row, resolveCloud(config.settings).graphEndpoint);
    if (moved) throw new NeedsReauthorizationError(moved, role, "mail_host_changed");
    return;
  }
  if (!grantsRole(row.scopes, config.outlookResource, role)) {
    throw new NeedsReauthorizationError(
      `The Microsoft authorization of this account does not include ${ROLE_LABELS[role].short} (granted: ${grantedResourceScopes(row.scopes).join(", ") || "none"}). Click Re-Authorize to add it.`,
      role,
      "scope_missing",
    );
  }
  const moved = options.purpose === "refresh" ? null : mailHostProblem(row, role, config.settings);
  if (moved) throw new NeedsReauthorizationError(moved, role, "mail_host_changed");
}

function reauthReason(summary: string, code: string): TranslatedError {
  return {
    code,
    summary,
    fix: "Click Re-Authorize and sign in as the mailbox user again.",
    microsoftText: null,
    correlationId: null,
    needsReauth: true,
  };
}
