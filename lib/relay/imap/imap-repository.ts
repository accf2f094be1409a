import "server-only";
import { db } from "@/lib/db/client";
import { bump, readCounter } from "@/lib/relay/counters";

/** The IMAP gateway's switch, its sign-in log (the Relay page's IMAP activity) and per-credential daily counters. */

export type ImapOutcome = "signed-in" | "refused" | "failed";

export async function getImapEnabled(): Promise<{
  enabled: boolean;
  updatedBy: string | null;
  updatedAt: Date | null;
}> {
  const row = await db.relaySettings.findUnique({ where: { id: 1 } });
  return { enabled: row?.imapEnabled ?? false, updatedBy: row?.updatedBy ?? null, updatedAt: row?.updatedAt ?? null };
}

/** Turns the gateway's listener on or off; answers whether it changed. */
export async function setImapEnabled(enabled: boolean, by: string): Promise<boolean> {
  if ((await getImapEnabled()).enabled === enabled) return false;
  await db.relaySettings.upsert({
    where: { id: 1 },
    create: { id: 1, imapEnabled: enabled, updatedBy: by, version: 1 },
    update: { imapEnabled: enabled, updatedBy: by, version: { increment: 1 } },
  });
  return true;
}

export type ImapLoginEntry = {
  credentialId: string | null;
  credentialName: string;
  mailbox: string;
  outcome: ImapOutcome;
  reason: string;
  remoteAddress: string;
};

const KEEP = 500;
let writes = 0;

/** One sign-in: its log line, the credential's counters for today, last use and last error. */
export async function logImapLogin(entry: ImapLoginEntry): Promise<void> {
  const now = new Date();
  await db.relayImapLogin.create({
    data: {
      ...entry,
      mailbox: entry.mailbox.slice(0, 254),
      reason: entry.reason.slice(0, 500),
      remoteAddress: entry.remoteAddress.slice(0, 64),
    },
  });
  if (entry.credentialId) {
    await bump(`${entry.outcome === "signed-in" ? "imap-login" : "imap-refused"}:${entry.credentialId}`, "day");
    await db.relayCredential.updateMany({
      where: { id: entry.credentialId },
      data: {
        lastUsedAt: now,
        lastUsedFrom: entry.remoteAddress.slice(0, 64),
        ...(entry.outcome === "signed-in"
          ? {}
          : { lastError: `IMAP: ${entry.reason}`.slice(0, 500), lastErrorAt: now }),
      },
    });
  }
  if (++writes % 20 === 0) {
    const cutoff = await db.relayImapLogin.findMany({
      orderBy: { createdAt: "desc" },
      skip: KEEP,
      take: 1,
      select: { createdAt: true },
    });
    if (cutoff[0]) await db.relayImapLogin.deleteMany({ where: { createdAt: { lte: cutoff[0].createdAt } } });
  }
}

export async function recentImapLogins(take = 50) {
  return db.relayImapLogin.findMany({ orderBy: { createdAt: "desc" }, take });
}

/** Today's (UTC) IMAP sign-ins and refusals of a credential, summed over every instance. */
export async function imapTodayCounts(credentialId: string): Promise<{ logins: number; refused: number }> {
  const [logins, refused] = await Promise.all([
    readCounter(`imap-login:${credentialId}`, "day"),
    readCounter(`imap-refused:${credentialId}`, "day"),
  ]);
  return { logins, refused };
}
