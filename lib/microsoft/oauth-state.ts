import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { db } from "@/lib/db/client";
import { decryptSecret, encryptSecret } from "@/lib/crypto/secret-box";
import type { MailRole } from "@/lib/microsoft/client-safe/mail-roles";

/**
 * One-time OAuth state, in the database so that any instance can take the callback:
 * the random `state` is stored only as a hash, the PKCE verifier encrypted (bound to that hash),
 * with the nonce, the roles and account expected, the admin and a hash of the admin's session id,
 * and a 10-minute expiry. Consuming it is a conditional update (`usedAt IS NULL`), so a replayed
 * or concurrent second callback with the same state fails.
 */
export const STATE_TTL_MS = 10 * 60 * 1000;

export const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");
export const verifierContext = (stateHash: string) => `OAuthState.verifier:${stateHash}`;

export type NewState = {
  account: string;
  roles: MailRole[];
  userId: string;
  sessionId: string;
  verifier: string;
  acceptAccount?: string | null;
};

export async function createOAuthState(input: NewState): Promise<{ state: string; nonce: string; id: string }> {
  const state = randomBytes(32).toString("base64url");
  const nonce = randomBytes(16).toString("base64url");
  const stateHash = sha256(state);
  const row = await db.oAuthState.create({
    data: {
      stateHash,
      verifierEnc: encryptSecret(input.verifier, verifierContext(stateHash)),
      nonce,
      account: input.account.toLowerCase(),
      roles: input.roles.join(","),
      userId: input.userId,
      sessionHash: sha256(input.sessionId),
      expiresAt: new Date(Date.now() + STATE_TTL_MS),
      acceptAccount: input.acceptAccount ? input.acceptAccount.toLowerCase() : null,
    },
  });
  // Old states are of no use to anyone: keep the table small.
  await db.oAuthState.deleteMany({ where: { expiresAt: { lt: new Date(Date.now() - 24 * 3600 * 1000) } } });
  return { state, nonce, id: row.id };
}

export type StateProblem = "state_missing" | "state_unknown" | "state_used" | "state_expired" | "state_other_session";

export type ConsumedState = {
  id: string;
  account: string;
  roles: MailRole[];
  nonce: string;
  verifier: string;
  acceptAccount: string | null;
};

/** Checks the state against the signed-in admin's session and consumes it, once. */
export async function consumeOAuthState(
  state: string | null,
  admin: { id: string; sessionId: string },
): Promise<ConsumedState | { problem: StateProblem }> {
  if (!state) return { problem: "state_missing" };
  if (state.length > 512) return { problem: "state_unknown" };
  const stateHash = sha256(state);
  const row = await db.oAuthState.findUnique({ where: { stateHash } });
  if (!row) return { problem: "state_unknown" };
  if (row.usedAt) return { problem: "state_used" };
  const now = new Date();
  if (row.expiresAt.getTime() <= now.getTime()) return { problem: "state_expired" };
  // Bound to the admin and the browser session that started it (checked before consuming, so a
  // stranger's callback cannot burn an admin's pending authorization).
  if (row.userId !== admin.id || row.sessionHash !== sha256(admin.sessionId)) return { problem: "state_other_session" };
  const { count } = await db.oAuthState.updateMany({
    where: { id: row.id, usedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now },
  });
  if (count !== 1) return { problem: "state_used" };
  return {
    id: row.id,
    account: row.account,
    roles: row.roles.split(",").filter((r): r is MailRole => r === "smtp" || r === "imap"),
    nonce: row.nonce,
    verifier: decryptSecret(row.verifierEnc, verifierContext(stateHash)),
    acceptAccount: row.acceptAccount,
  };
}

/** Stores the callback's outcome on the (consumed) state row; the page shows it to that admin only. */
export async function saveStateResult(id: string, result: unknown): Promise<void> {
  await db.oAuthState.update({ where: { id }, data: { result: JSON.stringify(result) } });
}

export async function readStateResult<T>(id: string, userId: string): Promise<T | null> {
  const row = await db.oAuthState.findFirst({ where: { id, userId }, select: { result: true } });
  if (!row?.result) return null;
  try {
    return JSON.parse(row.result) as T;
  } catch {
    return null;
  }
}
