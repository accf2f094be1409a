import "server-only";
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { derivedKey } from "@/lib/crypto/encryption-key";

const VERSION = "v1";
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
 * so a ciphertext copied into another column does not decrypt there.
 */
export function encryptSecret(plaintext: string, context: string, key: Buffer = derivedKey("secrets")): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(context));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [
    VERSION,
    iv.toString("base64url"),
    cipher.getAuthTag().toString("base64url"),
    body.toString("base64url"),
  ].join(".");
}

export function decryptSecret(sealed: string, context: string, key: Buffer = derivedKey("secrets")): string {
  const [version, iv, tag, body] = sealed.split(".");
  if (version !== VERSION || !iv || !tag || body === undefined) throw new SecretDecryptionError();
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from(context));
    const tagBytes = Buffer.from(tag, "base64url");
    if (tagBytes.length !== TAG_BYTES) throw new SecretDecryptionError();
    decipher.setAuthTag(tagBytes);
    return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new SecretDecryptionError();
  }
}

/** What the browser may see of a secret: that it is set, and its last characters. */
export function describeSecret(plaintext: string | null | undefined): { set: boolean; endsWith?: string } {
  if (!plaintext) return { set: false };
  return { set: true, endsWith: plaintext.length >= 12 ? plaintext.slice(-3) : undefined };
}
