import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { base64url } from "./util";

/**
 * RS256 JSON Web Tokens signed with the sandbox's key (kept in the data directory), and the JWKS
 * that publishes it. Access tokens and id tokens are both JWTs, as with Microsoft.
 */

export type JwtPayload = Record<string, unknown>;

export class TokenSigner {
  readonly kid: string;
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;

  constructor(dataDir: string) {
    const file = join(dataDir, "signing-key.pem");
    let pem: string;
    if (existsSync(file)) {
      pem = readFileSync(file, "utf8");
    } else {
      const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
      pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
      writeFileSync(file, pem, { mode: 0o600 });
    }
    this.privateKey = createPrivateKey(pem);
    this.publicKey = createPublicKey(this.privateKey);
    const spki = this.publicKey.export({ type: "spki", format: "der" });
    this.kid = createHash("sha256").update(spki).digest("base64url").slice(0, 27);
  }

  jwks(): { keys: Array<Record<string, unknown>> } {
    const jwk = this.publicKey.export({ format: "jwk" }) as { n: string; e: string };
    return { keys: [{ kty: "RSA", use: "sig", alg: "RS256", kid: this.kid, x5t: this.kid, n: jwk.n, e: jwk.e }] };
  }

  sign(payload: JwtPayload): string {
    const header = { typ: "JWT", alg: "RS256", kid: this.kid, x5t: this.kid };
    const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
    const signature = sign("sha256", Buffer.from(input), this.privateKey);
    return `${input}.${signature.toString("base64url")}`;
  }

  /** Returns the payload when the signature is the sandbox's; does not check claims. */
  verify(token: string): JwtPayload | null {
    const parts = token.split(".");
    if (parts.length !== 3) return null;
    const [h, p, s] = parts as [string, string, string];
    try {
      const header = JSON.parse(Buffer.from(h, "base64url").toString("utf8")) as { alg?: string };
      if (header.alg !== "RS256") return null;
      const ok = verify("sha256", Buffer.from(`${h}.${p}`), this.publicKey, Buffer.from(s, "base64url"));
      if (!ok) return null;
      return JSON.parse(Buffer.from(p, "base64url").toString("utf8")) as JwtPayload;
    } catch {
      return null;
    }
  }
}

/** Decode a JWT payload without verifying it (tests use it to look at claims). */
export function decodeJwt(token: string): JwtPayload {
  const part = token.split(".")[1];
  if (!part) throw new Error("not a JWT");
  return JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as JwtPayload;
}
