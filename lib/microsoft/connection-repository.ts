import "server-only";
import { db } from "@/lib/db/client";
import type { OAuthConnection } from "@/lib/db/generated/sqlite/client";
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
};

/** Stores a completed authorization: a new connection, or a fresh start for an existing one. */
export async function saveAuthorization(account: string, a: AuthorizationRecord): Promise<void> {
  const data = {
    username: a.username,
    homeAccountId: a.homeAccountId,
    tenantId: a.tenantId,
    scopes: a.scopes,
    cacheEnc: a.cacheEnc,
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
  return count === 1;
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
      version: { increment: 1 },
    },
  });
  return count === 1;
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
