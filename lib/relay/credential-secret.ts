import "server-only";
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { appSecret } from "@/lib/crypto/auth-secrets";

/**
 * Relay credential secrets: 256 random bits, shown once; stored as HMAC-SHA-256 under a key kept
 * sealed with the data key (lib/crypto/auth-secrets.ts: a copy of the database alone cannot test
 * guesses, a data-key rotation keeps it, and AUTH stays fast: one HMAC, no password hashing on every
 * SMTP session).
 */

const PREFIX = "mcr_";

export function generateRelaySecret(): string {
  return `${PREFIX}${randomBytes(32).toString("base64url")}`;
}

/** The HMAC key (read from the database once per process). */
export function relayHmacKey(): Promise<Buffer> {
  return appSecret("relay-credentials");
}

export function hashRelaySecret(secret: string, key: Buffer): string {
  return createHmac("sha256", key).update(secret, "utf8").digest("hex");
}

/** Constant-time comparison of a presented secret with the stored hash. */
export function relaySecretMatches(secret: string, storedHash: string, key: Buffer): boolean {
  const presented = Buffer.from(hashRelaySecret(secret, key), "hex");
  const stored = Buffer.from(storedHash, "hex");
  return stored.length === presented.length && timingSafeEqual(presented, stored);
}

/** What the page may show of a secret: its last four characters. */
export function secretHint(secret: string): string {
  return secret.slice(-4);
}
