import "server-only";
import { currentKey, deriveFrom } from "@/lib/crypto/key-ring";

/**
 * The master key that seals new secrets: the first key of the ring (lib/crypto/key-ring.ts:
 * APP_ENCRYPTION_KEYS, APP_ENCRYPTION_KEY or the key file in DATA_DIR).
 */
export function masterKey(): Buffer {
  return currentKey().master;
}

/**
 * A key for one purpose, derived from the current master key. Secrets that must outlive a key
 * rotation (the session secret, the relay credentials' HMAC key) are not derived here on each use:
 * lib/crypto/auth-secrets.ts keeps them sealed in the database.
 */
export function derivedKey(purpose: string): Buffer {
  return deriveFrom(masterKey(), purpose);
}
