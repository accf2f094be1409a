import { randomBytes } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret, SecretDecryptionError } from "@/lib/crypto/secret-box";
import { masterKey } from "@/lib/crypto/encryption-key";

describe("secret box (AES-256-GCM)", () => {
  const key = randomBytes(32);

  it("round-trips and never contains the plaintext", () => {
    const sealed = encryptSecret("s3cr3t-value~xyz", "EmailSettings.msClientSecret", key);
    expect(sealed).not.toContain("s3cr3t");
    expect(decryptSecret(sealed, "EmailSettings.msClientSecret", key)).toBe("s3cr3t-value~xyz");
    expect(encryptSecret("same", "c", key)).not.toBe(encryptSecret("same", "c", key));
  });

  it("detects tampering, a wrong key and a ciphertext moved to another column", () => {
    const sealed = encryptSecret("value", "ctx", key);
    const parts = sealed.split(".");
    const body = Buffer.from(parts[4], "base64url");
    body[0] ^= 1;
    const tampered = [...parts.slice(0, 4), body.toString("base64url")].join(".");
    expect(() => decryptSecret(tampered, "ctx", key)).toThrow(SecretDecryptionError);
    expect(() => decryptSecret(sealed, "ctx", randomBytes(32))).toThrow(SecretDecryptionError);
    expect(() => decryptSecret(sealed, "other-ctx", key)).toThrow(SecretDecryptionError);
    expect(() => decryptSecret("garbage", "ctx", key)).toThrow(SecretDecryptionError);
  });

  it("creates the key file once with mode 0600 in DATA_DIR", () => {
    const first = masterKey();
    const file = path.join(process.env.DATA_DIR!, "encryption.key");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(file, "utf8").trim(), "base64").equals(first)).toBe(true);
    expect(first.length).toBe(32);
  });
});
