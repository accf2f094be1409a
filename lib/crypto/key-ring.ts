import "server-only";
import { createHash, hkdfSync, randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dataPath } from "@/lib/runtime/data-dir";

/**
 * The key ring for secrets at rest. Its first key seals every new ciphertext; every key in it opens
 * the ciphertexts that name it (the format carries the key id). Sources, in this order:
 * - APP_ENCRYPTION_KEYS: comma-separated keys, the new key first, the old ones after;
 * - APP_ENCRYPTION_KEY: one key (the format before key rotation);
 * - the key file `<DATA_DIR>/encryption.key` (mode 0600, created on first start): one key per line,
 *   the new key first.
 * A key is 32 bytes given as 64 hex characters or base64 (`openssl rand -base64 32`).
 */

export const KEY_FILE = "encryption.key";

export type RingKey = {
  /** First 8 hex characters of SHA-256 of the data key: named in each ciphertext, not secret. */
  id: string;
  /** The master key as configured. */
  master: Buffer;
  /** The AES-256-GCM key for secrets at rest, derived from the master key. */
  dataKey: Buffer;
};

const globalForRing = globalThis as unknown as { mailConnectKeyRing?: RingKey[] };

export function parseKey(text: string, origin: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, "hex") : Buffer.from(trimmed, "base64");
  if (key.length !== 32) {
    throw new Error(`${origin} must be 32 bytes, given as 64 hex characters or base64 (openssl rand -base64 32)`);
  }
  return key;
}

/** A key for one purpose, derived from a master key. */
export function deriveFrom(master: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync("sha256", master, Buffer.alloc(0), `mail-connect:${purpose}`, 32));
}

export function keyId(dataKey: Buffer): string {
  return createHash("sha256").update(dataKey).digest("hex").slice(0, 8);
}

export function ringKey(master: Buffer): RingKey {
  const dataKey = deriveFrom(master, "secrets");
  return { id: keyId(dataKey), master, dataKey };
}

/** Parses a list of keys (comma- or newline-separated, blank entries and `#` comments ignored). */
export function parseKeyList(text: string, origin: string): RingKey[] {
  const entries = text
    .split(/[,\n]/)
    .map((line) => line.replace(/#.*$/, "").trim())
    .filter(Boolean);
  if (entries.length === 0) throw new Error(`${origin} holds no key`);
  const ring = entries.map((entry, i) => ringKey(parseKey(entry, `${origin} (key ${i + 1})`)));
  const ids = new Set<string>();
  for (const key of ring) {
    if (ids.has(key.id)) throw new Error(`${origin} lists the key ${key.id} twice`);
    ids.add(key.id);
  }
  return ring;
}

function readRing(): RingKey[] {
  const list = process.env.APP_ENCRYPTION_KEYS;
  const single = process.env.APP_ENCRYPTION_KEY;
  if (list && single) {
    throw new Error("Set APP_ENCRYPTION_KEYS (the key ring, new key first) or APP_ENCRYPTION_KEY, not both");
  }
  if (list) return parseKeyList(list, "APP_ENCRYPTION_KEYS");
  if (single) return [ringKey(parseKey(single, "APP_ENCRYPTION_KEY"))];
  const file = dataPath(KEY_FILE);
  if (!existsSync(file)) {
    try {
      writeFileSync(file, `${randomBytes(32).toString("base64")}\n`, { mode: 0o600, flag: "wx" });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  return parseKeyList(readFileSync(file, "utf8"), file);
}

/** The ring, read once per process (an instance learns a new ring when restarted). */
export function keyRing(): RingKey[] {
  globalForRing.mailConnectKeyRing ??= readRing();
  return globalForRing.mailConnectKeyRing;
}

/** The key that seals new ciphertexts. */
export function currentKey(): RingKey {
  return keyRing()[0]!;
}

/** Forgets the ring read so far (tests, and the rotation script after it changed the environment). */
export function reloadKeyRing(): void {
  globalForRing.mailConnectKeyRing = undefined;
}
