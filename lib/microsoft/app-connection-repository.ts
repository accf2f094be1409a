import "server-only";
import { db } from "@/lib/db/client";
import type { AppOnlyConnection } from "@/lib/db/generated/sqlite/client";
import { describeTranslated, type TranslatedError } from "@/lib/microsoft/errors/translate";
import type { AppConnectionView } from "@/lib/microsoft/mail-role-status";

export type { AppConnectionView };

/**
 * Every read and write of AppOnlyConnection rows: one per app-only connection, keyed by the app
 * registration's client id and the mailbox it opens (both lower-cased). No user account and no
 * refresh token: the row records what the latest app token carried (`roles`) and the latest failure.
 */

const key = (clientId: string, mailbox: string) => ({
  clientId_mailbox: { clientId: clientId.toLowerCase(), mailbox: mailbox.toLowerCase() },
});

function toView(row: AppOnlyConnection): AppConnectionView {
  return {
    id: row.id,
    clientId: row.clientId,
    mailbox: row.mailbox,
    tenantId: row.tenantId,
    tokenRoles: (row.tokenRoles ?? "").split(/\s+/).filter(Boolean),
    lastTokenAt: row.lastTokenAt?.toISOString() ?? null,
    status: row.status === "failing" ? "failing" : "connected",
    lastError: row.lastError,
    lastErrorCode: row.lastErrorCode,
    lastErrorAt: row.lastErrorAt?.toISOString() ?? null,
  };
}

export async function listAppConnectionViews(): Promise<AppConnectionView[]> {
  const rows = await db.appOnlyConnection.findMany({ orderBy: [{ clientId: "asc" }, { mailbox: "asc" }] });
  return rows.map(toView);
}

export async function findAppConnection(clientId: string, mailbox: string): Promise<AppConnectionView | null> {
  const row = await db.appOnlyConnection.findUnique({ where: key(clientId, mailbox) });
  return row ? toView(row) : null;
}

/**
 * The role got a token with its role: the connection exists (created on first use), works, and
 * records the token's roles; `issuedAt` when Microsoft issued it now (null: from MSAL's cache).
 */
export async function recordAppSuccess(
  c: { clientId: string; mailbox: string; tenantId: string },
  roles: string[],
  issuedAt: Date | null,
): Promise<void> {
  const data = {
    tenantId: c.tenantId,
    tokenRoles: roles.join(" "),
    ...(issuedAt ? { lastTokenAt: issuedAt } : {}),
    status: "connected",
    lastError: null,
    lastErrorCode: null,
    lastErrorAt: null,
  };
  await db.appOnlyConnection.upsert({
    where: key(c.clientId, c.mailbox),
    create: { clientId: c.clientId.toLowerCase(), mailbox: c.mailbox.toLowerCase(), ...data },
    update: data,
  });
}

/** The connection failed (no token, or a token without the role): kept for the cards and the health banner. */
export async function markAppFailing(
  c: { clientId: string; mailbox: string; tenantId: string },
  error: TranslatedError,
): Promise<void> {
  const data = {
    tenantId: c.tenantId,
    status: "failing",
    lastError: describeTranslated(error),
    lastErrorCode: error.code,
    lastErrorAt: new Date(),
  };
  await db.appOnlyConnection.upsert({
    where: key(c.clientId, c.mailbox),
    create: { clientId: c.clientId.toLowerCase(), mailbox: c.mailbox.toLowerCase(), ...data },
    update: data,
  });
}
