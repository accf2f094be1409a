import "server-only";
import { db } from "@/lib/db/client";
import type { OAuthConnection } from "@/lib/db/generated/sqlite/client";
import { ROLE_LABELS, type MailRole } from "@/lib/microsoft/client-safe/mail-roles";
import { describeTranslated, type TranslatedError } from "@/lib/microsoft/errors/translate";
import type { ConnectionView } from "@/lib/microsoft/mail-role-status";

/**
 * Every read and write of OAuthConnection rows: one per Microsoft account that signs in
 * (`account` = lower-cased expected sign-in name), holding the encrypted MSAL cache. `version` is
 * bumped on every write; writers that read the row before a slow network call write back only if
 * the version is unchanged.
 */

export async function findConnection(account: string): Promise<OAuthConnection | null> {
  return db.oAuthConnection.findUnique({ where: { account: account.toLowerCase() } });
}

/** What pages may see of a connection (never the cache). */
function toConnectionView(row: OAuthConnection): ConnectionView {
  return {
    id: row.id,
    account: row.account,
    username: row.username,
    tenantId: row.tenantId,
    scopes: row.scopes.split(/\s+/).filter(Boolean),
    authorizedAt: row.authorizedAt.toISOString(),
    authorizedBy: row.authorizedBy,
    lastRefreshAt: row.lastRefreshAt?.toISOString() ?? null,
    status: row.status === "needs_reauth" ? "needs_reauth" : "connected",
    lastError: row.lastError,
    lastErrorCode: row.lastErrorCode,
    lastErrorAt: row.lastErrorAt?.toISOString() ?? null,
    redirectUri: row.redirectUri,
    signInFrequencySeconds: row.signInFrequencySeconds,
  };
}

export async function listConnectionViews(): Promise<ConnectionView[]> {
  const rows = await db.oAuthConnection.findMany({ orderBy: { account: "asc" } });
  return rows.map(toConnectionView);
}

type AuthorizationRecord = {
  username: string;
  homeAccountId: string;
  tenantId: string | null;
  scopes: string;
  cacheEnc: string;
  authorizedBy: string;
  at: Date;
  /** The mail hosts saved at authorization: the connection's token is presented to these only. */
  smtpHost: string | null;
  imapHost: string | null;
  /** The Graph endpoint, when the sender's Graph scopes were granted: its Graph token goes there only. */
  graphHost?: string | null;
  /** The redirect URI Microsoft accepted (this authorization completed through it). */
  redirectUri: string;
};

/** Stores a completed authorization: a new connection, or a fresh start for an existing one. */
export async function saveAuthorization(account: string, a: AuthorizationRecord): Promise<void> {
  const data = {
    username: a.username,
    homeAccountId: a.homeAccountId,
    tenantId: a.tenantId,
    scopes: a.scopes,
    cacheEnc: a.cacheEnc,
    smtpHost: a.smtpHost,
    imapHost: a.imapHost,
    graphHost: a.graphHost ?? null,
    redirectUri: a.redirectUri,
    authorizedAt: a.at,
    authorizedBy: a.authorizedBy,
    lastRefreshAt: a.at,
    status: "connected",
    lastError: null,
    lastErrorCode: null,
    lastErrorAt: null,
    notifiedAt: null,
  };
  await db.oAuthConnection.upsert({
    where: { account },
    create: { account, ...data },
    update: { ...data, version: { increment: 1 } },
  });
}

/** Writes a refreshed cache unless the connection changed since `version` was read. Returns whether it was written. */
export async function saveRefreshedCache(id: string, version: number, cacheEnc: string, at: Date): Promise<boolean> {
  const { count } = await db.oAuthConnection.updateMany({
    where: { id, version },
    data: { cacheEnc, lastRefreshAt: at, version: { increment: 1 } },
  });
  if (count === 1) await forgetLiftedSignInFrequency(id, at);
  return count === 1;
}

/**
 * A refresh that worked later after the sign-in than the learned sign-in frequency allows: the policy no
 * longer applies (lifted, or this app excluded), so the expiry warnings stop counting with it.
 */
async function forgetLiftedSignInFrequency(id: string, at: Date): Promise<void> {
  const row = await db.oAuthConnection.findUnique({
    where: { id },
    select: { authorizedAt: true, signInFrequencySeconds: true },
  });
  if (!row?.signInFrequencySeconds) return;
  if (at.getTime() - row.authorizedAt.getTime() <= row.signInFrequencySeconds * 1000) return;
  await db.oAuthConnection.updateMany({
    where: { id, signInFrequencySeconds: row.signInFrequencySeconds },
    data: { signInFrequencySeconds: null },
  });
}

/** Marks a connection "Needs re-authorization" (unless it was replaced meanwhile). Returns whether it changed. */
export async function markNeedsReauth(id: string, version: number, error: TranslatedError): Promise<boolean> {
  const { count } = await db.oAuthConnection.updateMany({
    where: { id, version },
    data: {
      status: "needs_reauth",
      lastError: describeTranslated(error),
      lastErrorCode: error.code,
      lastErrorAt: new Date(),
      // AADSTS70043 names the Conditional Access sign-in frequency: kept, so the next sign-in's end is known.
      ...(error.signInFrequencySeconds ? { signInFrequencySeconds: error.signInFrequencySeconds } : {}),
      version: { increment: 1 },
    },
  });
  return count === 1;
}

/**
 * Marks every connection "Needs re-authorization" (the Microsoft app registration they were issued
 * through changed): none of their tokens is used again, so nothing stored goes to the new authority.
 * `client`: the transaction that saves the settings change, so both happen or neither.
 */
export async function markAllNeedsReauth(client: Pick<typeof db, "oAuthConnection">, summary: string): Promise<number> {
  const { count } = await client.oAuthConnection.updateMany({
    data: {
      status: "needs_reauth",
      lastError: `${summary} Click Re-Authorize and sign in as the mailbox user again.`,
      lastErrorCode: "app_registration_changed",
      lastErrorAt: new Date(),
      notifiedAt: null,
      version: { increment: 1 },
    },
  });
  return count;
}

/**
 * Why the role's token may not be presented to the role's mail host now, or null: a token goes only
 * to the host saved with its connection at authorization (another host asks to re-authorize first).
 */
export function mailHostProblem(
  row: Pick<OAuthConnection, "smtpHost" | "imapHost">,
  role: MailRole,
  settings: { smtpHost: string | null; imapHost: string | null },
): string | null {
  const saved = role === "smtp" ? row.smtpHost : row.imapHost;
  const current = role === "smtp" ? settings.smtpHost : settings.imapHost;
  if (!current || saved?.toLowerCase() === current.toLowerCase()) return null;
  return `The ${ROLE_LABELS[role].short} host is now ${current}, but this account was authorized for ${saved ?? "another host"}: its Microsoft token is only sent to the mail hosts saved with the authorization. Click Re-Authorize to allow ${current}.`;
}

/** Why the Graph token may not go to the Graph endpoint in force (null when it may): the one saved at authorization. */
export function graphHostProblem(row: Pick<OAuthConnection, "graphHost">, endpoint: string): string | null {
  const current = endpoint.replace(/\/+$/, "").toLowerCase();
  if (row.graphHost && row.graphHost.toLowerCase() === current) return null;
  return `The Microsoft Graph host is now ${endpoint || "not set"}, but this account was authorized for ${row.graphHost ?? "another Graph host"}: its Graph token is only sent to the Graph host saved with the authorization. Click Re-Authorize to allow it.`;
}

/** Connections that need re-authorization and whose admins have not been told yet. */
export async function listUnnotifiedNeedsReauth(): Promise<OAuthConnection[]> {
  return db.oAuthConnection.findMany({ where: { status: "needs_reauth", notifiedAt: null } });
}

/** Records that the admins were told (once per failure: a new authorization clears it). */
export async function markNotified(id: string): Promise<void> {
  await db.oAuthConnection.updateMany({ where: { id, notifiedAt: null }, data: { notifiedAt: new Date() } });
}

export async function deleteConnection(account: string): Promise<boolean> {
  const { count } = await db.oAuthConnection.deleteMany({ where: { account: account.toLowerCase() } });
  return count > 0;
}
