import "server-only";
import { db } from "@/lib/db/client";
import { describeTranslated, type TranslatedError } from "@/lib/microsoft/errors/translate";

/**
 * OAuthConnection rows: one per Microsoft account that signs in (`account` = lower-cased expected
 * sign-in name), holding the encrypted MSAL cache. `version` is bumped on every write; writers
 * that read the row before a slow network call write back only if the version is unchanged.
 */
export type ConnectionView = {
  id: string;
  account: string;
  username: string;
  tenantId: string | null;
  scopes: string[];
  authorizedAt: string;
  authorizedBy: string;
  lastRefreshAt: string | null;
  status: "connected" | "needs_reauth";
  lastError: string | null;
  lastErrorCode: string | null;
  lastErrorAt: string | null;
};

export async function findConnection(account: string) {
  return db.oAuthConnection.findUnique({ where: { account: account.toLowerCase() } });
}

/** What the browser may see of a connection (never the cache). */
export function toConnectionView(row: NonNullable<Awaited<ReturnType<typeof findConnection>>>): ConnectionView {
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

export async function deleteConnection(account: string): Promise<boolean> {
  const { count } = await db.oAuthConnection.deleteMany({ where: { account: account.toLowerCase() } });
  return count > 0;
}
