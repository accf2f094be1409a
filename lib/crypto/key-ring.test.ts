import { createCipheriv, randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret, SecretDecryptionError, sealedKeyId } from "@/lib/crypto/secret-box";
import { currentKey, keyRing, parseKeyList, reloadKeyRing, ringKey } from "@/lib/crypto/key-ring";

const b64 = (key: Buffer) => key.toString("base64");

/** A ciphertext in the format before the key ring (`v1.<iv>.<tag>.<body>`, no key id). */
function sealV1(plaintext: string, context: string, dataKey: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", dataKey, iv);
  cipher.setAAD(Buffer.from(context));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), body.toString("base64url")].join(
    ".",
  );
}

afterEach(() => {
  delete process.env.APP_ENCRYPTION_KEYS;
  delete process.env.APP_ENCRYPTION_KEY;
  reloadKeyRing();
});

describe("the key ring", () => {
  const oldKey = randomBytes(32);
  const newKey = randomBytes(32);

  it("seals with the first key, names it in the ciphertext, and opens with any key the ring lists", () => {
    process.env.APP_ENCRYPTION_KEY = b64(oldKey);
    reloadKeyRing();
    const underOld = encryptSecret("old secret", "ctx");
    expect(sealedKeyId(underOld)).toBe(ringKey(oldKey).id);

    delete process.env.APP_ENCRYPTION_KEY;
    process.env.APP_ENCRYPTION_KEYS = `${b64(newKey)}, ${oldKey.toString("hex")}`;
    reloadKeyRing();
    expect(keyRing().map((k) => k.id)).toEqual([ringKey(newKey).id, ringKey(oldKey).id]);
    const underNew = encryptSecret("new secret", "ctx");
    expect(underNew.startsWith(`v2.${ringKey(newKey).id}.`)).toBe(true);
    expect(decryptSecret(underOld, "ctx")).toBe("old secret");
    expect(decryptSecret(underNew, "ctx")).toBe("new secret");

    process.env.APP_ENCRYPTION_KEYS = b64(newKey);
    reloadKeyRing();
    expect(() => decryptSecret(underOld, "ctx")).toThrow(SecretDecryptionError);
    expect(decryptSecret(underNew, "ctx")).toBe("new secret");
  });

  it("reads today's format (no key id) with whichever ring key opens it", () => {
    const legacy = sealV1("legacy", "EmailSettings.smtpPassword", ringKey(oldKey).dataKey);
    expect(sealedKeyId(legacy)).toBeNull();
    process.env.APP_ENCRYPTION_KEYS = `${b64(newKey)},${b64(oldKey)}`;
    reloadKeyRing();
    expect(decryptSecret(legacy, "EmailSettings.smtpPassword")).toBe("legacy");
    process.env.APP_ENCRYPTION_KEYS = b64(newKey);
    reloadKeyRing();
    expect(() => decryptSecret(legacy, "EmailSettings.smtpPassword")).toThrow(SecretDecryptionError);
  });

  it("reads several keys from the key file, new key first, comments ignored", () => {
    writeFileSync(
      path.join(process.env.DATA_DIR!, "encryption.key"),
      `# new key first\n${b64(newKey)}\n${b64(oldKey)}\n\n`,
      { mode: 0o600 },
    );
    reloadKeyRing();
    expect(currentKey().id).toBe(ringKey(newKey).id);
    expect(keyRing()).toHaveLength(2);
  });

  it("refuses a malformed ring: a bad key, a key listed twice, both variables set", () => {
    expect(() => parseKeyList("abc", "APP_ENCRYPTION_KEYS")).toThrow(/key 1\) must be 32 bytes/);
    expect(() => parseKeyList(`${b64(newKey)},${newKey.toString("hex")}`, "X")).toThrow(/twice/);
    expect(() => parseKeyList(" , ", "X")).toThrow(/no key/);
    process.env.APP_ENCRYPTION_KEYS = b64(newKey);
    process.env.APP_ENCRYPTION_KEY = b64(oldKey);
    reloadKeyRing();
    expect(() => keyRing()).toThrow(/not both/);
  });
});
