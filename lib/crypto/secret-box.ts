import "server-only";
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { currentKey, keyId, keyRing } from "@/lib/crypto/key-ring";

/** v2: names the key it was sealed with. v1 (before the key ring) names none: every ring key is tried. */
const VERSION = "v2";
const LEGACY_VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SecretDecryptionError extends Error {
  constructor() {
    super("A stored secret could not be decrypted: it was altered, or the encryption key changed.");
    this.name = "SecretDecryptionError";
  }
}

/**
 * Authenticated encryption (AES-256-GCM) of a secret at rest. `context` is bound as additional data,
 * so a ciphertext copied into another column does not decrypt there. Sealed with the ring's first key
 * unless a data key is given: `v2.<key id>.<iv>.<tag>.<ciphertext>`.
 */
export function encryptSecret(plaintext: string, context: string, key: Buffer = currentKey().dataKey): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(context));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [
    VERSION,
    keyId(key),
    iv.toString("base64url"),
    cipher.getAuthTag().toString("base64url"),
    body.toString("base64url"),
  ].join(".");
}

type Parsed = { keyId: string | null; iv: string; tag: string; body: string };

function parse(sealed: string): Parsed {
  const parts = sealed.split(".");
  if (parts[0] === VERSION && parts.length === 5 && /^[0-9a-f]{8}$/.test(parts[1]!)) {
    return { keyId: parts[1]!, iv: parts[2]!, tag: parts[3]!, body: parts[4]! };
  }
  if (parts[0] === LEGACY_VERSION && parts.length === 4 && parts[1] && parts[2]) {
    return { keyId: null, iv: parts[1], tag: parts[2], body: parts[3]! };
  }
  throw new SecretDecryptionError();
}

/** The id of the key a ciphertext names (null: the format before the key ring). */
export function sealedKeyId(sealed: string): string | null {
  return parse(sealed).keyId;
}

function open(parsed: Parsed, context: string, key: Buffer): string {
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(parsed.iv, "base64url"));
    decipher.setAAD(Buffer.from(context));
    const tagBytes = Buffer.from(parsed.tag, "base64url");
    if (tagBytes.length !== TAG_BYTES) throw new SecretDecryptionError();
    decipher.setAuthTag(tagBytes);
    return Buffer.concat([decipher.update(Buffer.from(parsed.body, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new SecretDecryptionError();
  }
}

/**
 * Opens a ciphertext with the ring key it names (a v1 ciphertext: with each ring key in turn — GCM's
 * tag tells a wrong key), or with the data key given.
 */
export function decryptSecret(sealed: string, context: string, key?: Buffer): string {
  const parsed = parse(sealed);
  if (key) return open(parsed, context, key);
  const ring = keyRing();
  const candidates = parsed.keyId === null ? ring : ring.filter((k) => k.id === parsed.keyId);
  for (const candidate of candidates) {
    try {
      return open(parsed, context, candidate.dataKey);
    } catch {
      // the next key (v1 only)
    }
  }
  throw new SecretDecryptionError();
}

/** What the browser may see of a secret: that it is set, and its last characters. */
export function describeSecret(plaintext: string | null | undefined): { set: boolean; endsWith?: string } {
  if (!plaintext) return { set: false };
  return { set: true, endsWith: plaintext.length >= 12 ? plaintext.slice(-3) : undefined };
}
