import "server-only";
import { db } from "@/lib/db/client";
import { EXCHANGE_LIMITS } from "@/lib/relay/client-safe/limits";
import { readCounter } from "@/lib/relay/counters";

/** The relay's single settings row, its activity log and its per-credential daily counters. */

export type RelayState = {
  smtpEnabled: boolean;
  maxMessageBytes: number;
  lastUpstreamError: string | null;
  lastUpstreamErrorAt: Date | null;
  updatedAt: Date | null;
  updatedBy: string | null;
};

export async function getRelayState(): Promise<RelayState> {
  const row = await db.relaySettings.findUnique({ where: { id: 1 } });
  return {
    smtpEnabled: row?.smtpEnabled ?? false,
    maxMessageBytes: row?.maxMessageBytes ?? EXCHANGE_LIMITS.maxMessageBytes,
    lastUpstreamError: row?.lastUpstreamError ?? null,
    lastUpstreamErrorAt: row?.lastUpstreamErrorAt ?? null,
    updatedAt: row?.updatedAt ?? null,
    updatedBy: row?.updatedBy ?? null,
  };
}

/** Turns the listener on or off; answers whether it changed. */
export async function setRelayEnabled(enabled: boolean, by: string): Promise<boolean> {
  const current = await getRelayState();
  if (current.smtpEnabled === enabled) return false;
  await db.relaySettings.upsert({
    where: { id: 1 },
    create: { id: 1, smtpEnabled: enabled, updatedBy: by, version: 1 },
    update: { smtpEnabled: enabled, updatedBy: by, version: { increment: 1 } },
  });
  return true;
}

/** Why the last message could not reach Microsoft (null: the last attempt worked). */
export async function recordUpstreamProblem(reason: string | null): Promise<void> {
  const data = { lastUpstreamError: reason, lastUpstreamErrorAt: reason ? new Date() : null };
  await db.relaySettings.upsert({ where: { id: 1 }, create: { id: 1, ...data }, update: data });
}

export type Outcome = "relayed" | "refused" | "failed";

export type ActivityInput = {
  credentialId: string | null;
  credentialName: string;
  mailFrom: string;
  recipients: number;
  sizeBytes: number;
  outcome: Outcome;
  reply: string;
};

export async function recentActivity(take = 50) {
  return db.relayActivity.findMany({ orderBy: { createdAt: "desc" }, take });
}

/** Today's (UTC) relayed / refused counts of a credential, summed over every instance. */
export async function todayCounts(credentialId: string): Promise<{ relayed: number; refused: number }> {
  const [relayed, refused] = await Promise.all([
    readCounter(`relayed:${credentialId}`, "day"),
    readCounter(`refused:${credentialId}`, "day"),
  ]);
  return { relayed, refused };
}
