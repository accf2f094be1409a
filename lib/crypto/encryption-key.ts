import "server-only";
import { hkdfSync, randomBytes } from "node:crypto";
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { dataPath } from "@/lib/runtime/data-dir";

const KEY_FILE = "encryption.key";
let cached: Buffer | undefined;

function parseKey(text: string, origin: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, "hex") : Buffer.from(trimmed, "base64");
  if (key.length !== 32) {
    throw new Error(`${origin} must be 32 bytes, given as 64 hex characters or base64 (openssl rand -base64 32)`);
  }
  return key;
}

/**
 * The master key for secrets at rest: APP_ENCRYPTION_KEY when set (production: from a secret store),
 * otherwise a key file created with mode 0600 in DATA_DIR (the embedded default).
 */
export function masterKey(): Buffer {
  if (cached) return cached;
  const fromEnv = process.env.APP_ENCRYPTION_KEY;
  if (fromEnv) {
    cached = parseKey(fromEnv, "APP_ENCRYPTION_KEY");
    return cached;
  }
  const file = dataPath(KEY_FILE);
  if (!existsSync(file)) {
    try {
      writeFileSync(file, `${randomBytes(32).toString("base64")}\n`, { mode: 0o600, flag: "wx" });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  cached = parseKey(readFileSync(file, "utf8"), file);
  return cached;
}

/** A key for one purpose, derived from the master key (so one secret serves encryption and sessions). */
export function derivedKey(purpose: string): Buffer {
  return Buffer.from(hkdfSync("sha256", masterKey(), Buffer.alloc(0), `mail-connect:${purpose}`, 32));
}
