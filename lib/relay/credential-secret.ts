import "server-only";
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { derivedKey } from "@/lib/crypto/encryption-key";

/**
 * Relay credential secrets: 256 random bits, shown once; stored as HMAC-SHA-256 under a key derived
 * from the encryption key (so a copy of the database alone cannot test guesses, and AUTH stays fast:
 * one HMAC, no password hashing on every SMTP session).
 */

const PREFIX = "mcr_";

export function generateRelaySecret(): string {
  return `${PREFIX}${randomBytes(32).toString("base64url")}`;
}

export function hashRelaySecret(secret: string): string {
  return createHmac("sha256", derivedKey("relay-credentials")).update(secret, "utf8").digest("hex");
}

/** Constant-time comparison of a presented secret with the stored hash. */
export function relaySecretMatches(secret: string, storedHash: string): boolean {
  const presented = Buffer.from(hashRelaySecret(secret), "hex");
  const stored = Buffer.from(storedHash, "hex");
  return stored.length === presented.length && timingSafeEqual(presented, stored);
}

/** What the page may show of a secret: its last four characters. */
export function secretHint(secret: string): string {
  return secret.slice(-4);
}
