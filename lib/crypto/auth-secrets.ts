import "server-only";
import { db } from "@/lib/db/client";
import { decryptSecret, encryptSecret } from "@/lib/crypto/secret-box";
import { deriveFrom, keyRing } from "@/lib/crypto/key-ring";

/**
 * Secrets that must survive a rotation of the data key: the session secret (better-auth signs its
 * cookies and encrypts two-factor secrets and backup codes with it) and the HMAC key of the relay
 * credentials (only HMACs are stored: they cannot be recomputed). Each is a value stored in `AppSecret`
 * sealed with the data key like every other secret; `npm run key:rotate` re-seals it with the new key,
 * its value unchanged — so the old data key can be removed from the ring afterwards.
 *
 * Created on first use with the value this product derived from the encryption key before the key
 * ring existed (HKDF of the oldest key the ring lists — the only key there was), so sessions, two-factor
 * secrets and relay credentials made before the upgrade stay valid. Every instance computes the same
 * value, so two instances creating it at once agree.
 */

export const APP_SECRET_NAMES = ["better-auth", "relay-credentials"] as const;
export type AppSecretName = (typeof APP_SECRET_NAMES)[number];

export const appSecretContext = (name: string) => `AppSecret.value:${name}`;

const globalForSecrets = globalThis as unknown as { mailConnectAppSecrets?: Map<AppSecretName, Promise<Buffer>> };

function originalValue(name: AppSecretName): Buffer {
  const ring = keyRing();
  return deriveFrom(ring[ring.length - 1]!.master, name);
}

async function readOrCreate(name: AppSecretName): Promise<Buffer> {
  const row = await db.appSecret.findUnique({ where: { name } });
  if (row) return Buffer.from(decryptSecret(row.valueEnc, appSecretContext(name)), "base64url");
  const value = originalValue(name);
  try {
    await db.appSecret.create({
      data: { name, valueEnc: encryptSecret(value.toString("base64url"), appSecretContext(name)) },
    });
  } catch (error) {
    if (!/Unique constraint|P2002/.test(String((error as Error)?.message ?? error))) throw error;
    return readOrCreate(name); // another instance created it first
  }
  return value;
}

/** The secret's value (read once per process; a failed read is tried again on the next call). */
export function appSecret(name: AppSecretName): Promise<Buffer> {
  globalForSecrets.mailConnectAppSecrets ??= new Map();
  const cache = globalForSecrets.mailConnectAppSecrets;
  let pending = cache.get(name);
  if (!pending) {
    pending = readOrCreate(name);
    cache.set(name, pending);
    pending.catch(() => cache.delete(name));
  }
  return pending;
}

/** Creates every missing one (the rotation script, before it re-seals them). */
export async function ensureAppSecrets(): Promise<void> {
  for (const name of APP_SECRET_NAMES) await appSecret(name);
}

/** Tests: forget the values read so far. */
export function forgetAppSecrets(): void {
  globalForSecrets.mailConnectAppSecrets = undefined;
}
