/**
 * The key rotation round trip, shared by the SQLite and the PostgreSQL test: secrets of every kind
 * sealed with the old key (one in the format before the key ring), an admin session, a relay
 * credential; then `rotateKeys` with the ring "new, old"; then the new key alone opens everything, the
 * old key alone opens nothing, and the session, the two-factor secret and the credential still work. A wrong ring is refused
 * with nothing changed.
 */
import { createCipheriv, randomBytes } from "node:crypto";
import * as OTPAuth from "otpauth";
import { expect } from "vitest";
import { CLIENT_IP_HEADER } from "@/lib/auth/client-ip";
import { applyMigrations } from "@/lib/db/migrate";
import { databaseUrl } from "@/lib/db/database-url";

const ORIGIN = "https://localhost:3443";
const PASSWORD = "rotation-password-1";

/** As after a restart with this ring: the key ring, the stored secrets and the auth library read again. */
async function useRing(keys: Buffer[]): Promise<void> {
  process.env.APP_ENCRYPTION_KEYS = keys.map((k) => k.toString("base64")).join(",");
  delete process.env.APP_ENCRYPTION_KEY;
  (await import("@/lib/crypto/key-ring")).reloadKeyRing();
  (await import("@/lib/crypto/auth-secrets")).forgetAppSecrets();
  (await import("@/lib/auth/auth")).forgetAuthLibrary();
}

function sealV1(plaintext: string, context: string, dataKey: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", dataKey, iv);
  cipher.setAAD(Buffer.from(context));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return ["v1", iv, cipher.getAuthTag(), body]
    .map((p) => (typeof p === "string" ? p : p.toString("base64url")))
    .join(".");
}

async function sealedValues(): Promise<string[]> {
  const { db } = await import("@/lib/db/client");
  const { SEALED_COLUMNS } = await import("@/lib/crypto/sealed-columns");
  const out: string[] = [];
  for (const col of SEALED_COLUMNS) {
    const rows = await db.$queryRawUnsafe<Record<string, unknown>[]>(
      `SELECT "${col.column}" AS v FROM "${col.table}" WHERE "${col.column}" IS NOT NULL`,
    );
    out.push(...rows.map((r) => String(r.v)));
  }
  return out.sort();
}

/** How many sealed values open with the ring in use. */
async function openable(): Promise<{ opened: number; failed: number }> {
  const { db } = await import("@/lib/db/client");
  const { SEALED_COLUMNS } = await import("@/lib/crypto/sealed-columns");
  const { decryptSecret } = await import("@/lib/crypto/secret-box");
  let opened = 0;
  let failed = 0;
  for (const col of SEALED_COLUMNS) {
    const columns = [...col.key, ...(col.reads ?? []), col.column].map((c) => `"${c}"`).join(", ");
    const rows = await db.$queryRawUnsafe<Record<string, unknown>[]>(
      `SELECT ${columns} FROM "${col.table}" WHERE "${col.column}" IS NOT NULL`,
    );
    for (const row of rows) {
      try {
        decryptSecret(String(row[col.column]), col.context(row));
        opened++;
      } catch {
        failed++;
      }
    }
  }
  return { opened, failed };
}

let address = 0;

async function post(path: string, body: unknown, cookie = ""): Promise<Response> {
  const { auth } = await import("@/lib/auth/auth");
  return auth.handler(
    new Request(`${ORIGIN}/api/auth${path}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        origin: ORIGIN,
        cookie,
        "user-agent": "rotation-test",
        [CLIENT_IP_HEADER]: `198.51.100.${++address}`,
      },
      body: JSON.stringify(body),
    }),
  );
}

const cookiesOf = (res: Response) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .filter((pair) => !pair.endsWith("="))
    .join("; ");

async function signIn(email: string): Promise<Headers> {
  const { createAdmin } = await import("@/lib/auth/admin-accounts");
  await createAdmin({ name: "Rotation", email, password: PASSWORD });
  const res = await post("/sign-in/email", { email, password: PASSWORD });
  expect(res.status).toBe(200);
  return new Headers({ cookie: cookiesOf(res) });
}

/** An admin with two-factor (TOTP) enrolled: the authenticator. */
async function enrolTwoFactor(email: string): Promise<OTPAuth.TOTP> {
  const { auth } = await import("@/lib/auth/auth");
  const { createAdmin } = await import("@/lib/auth/admin-accounts");
  await createAdmin({ name: "Rotation", email, password: PASSWORD });
  const res = await post("/sign-in/email", { email, password: PASSWORD });
  expect(res.status).toBe(200);
  const headers = new Headers({ cookie: cookiesOf(res), origin: ORIGIN });
  const enabled = await auth.api.enableTwoFactor({ body: { password: PASSWORD, method: "totp" }, headers });
  if (enabled.method !== "totp") throw new Error("no TOTP secret");
  const totp = OTPAuth.URI.parse(enabled.totpURI) as OTPAuth.TOTP;
  await auth.api.verifyTOTP({ body: { code: totp.generate() }, headers });
  return totp;
}

/** Password, then the authenticator code: 200 and a session cookie when the stored TOTP secret still opens. */
async function twoFactorSignIn(email: string, totp: OTPAuth.TOTP): Promise<number> {
  const first = await post("/sign-in/email", { email, password: PASSWORD });
  expect(await first.json()).toMatchObject({ twoFactorRedirect: true });
  const second = await post("/two-factor/verify-totp", { code: totp.generate() }, cookiesOf(first));
  return second.status;
}

async function sessionEmail(headers: Headers): Promise<string | null> {
  const { auth } = await import("@/lib/auth/auth");
  const session = await auth.api.getSession({ headers });
  return session?.user.email ?? null;
}

export async function rotationRoundTrip(): Promise<void> {
  const oldKey = randomBytes(32);
  const newKey = randomBytes(32);
  await applyMigrations(databaseUrl());
  await useRing([oldKey]);
  const { db } = await import("@/lib/db/client");
  const { ringKey } = await import("@/lib/crypto/key-ring");
  const { encryptSecret, decryptSecret, sealedKeyId } = await import("@/lib/crypto/secret-box");
  const { secretContext, getEmailSettings, readSecret } = await import("@/lib/settings/email-repository");
  const { sealCache, openCache } = await import("@/lib/microsoft/token-cache-plugin");
  const { createOAuthState, verifierContext, sha256 } = await import("@/lib/microsoft/oauth-state");
  const { createCredential, verifyCredential } = await import("@/lib/relay/credential-repository");
  const { relayCredentialSchema } = await import("@/lib/relay/client-safe/credential-schema");
  const { ensureAppSecrets } = await import("@/lib/crypto/auth-secrets");
  const { rotateKeys, keyUsage, KeyRotationRefused } = await import("@/lib/crypto/key-rotation");

  // Before: secrets under the old key (the SMTP password in the format without a key id).
  await ensureAppSecrets(); // what the server does at start
  await db.emailSettings.create({
    data: {
      id: 1,
      smtpPasswordEnc: sealV1("smtp-password-1", secretContext("smtpPassword"), ringKey(oldKey).dataKey),
      imapPasswordEnc: encryptSecret("imap-password-2", secretContext("imapPassword")),
      msClientSecretEnc: encryptSecret("client~secret~3", secretContext("msClientSecret")),
      msCertificateKeyEnc: encryptSecret("-----BEGIN PRIVATE KEY-----4", secretContext("msCertificate")),
      updatedAt: new Date(),
    },
  });
  const cache = JSON.stringify({ RefreshToken: { a: { secret: "refresh-token-5" } } });
  await db.oAuthConnection.create({
    data: {
      account: "mailer@contoso.test",
      username: "mailer@contoso.test",
      homeAccountId: "h",
      scopes: "s",
      cacheEnc: sealCache(cache, "mailer@contoso.test"),
      authorizedAt: new Date(),
      authorizedBy: "admin@contoso.test",
    },
  });
  const admin = await db.user.create({
    data: { id: "rotation-admin", name: "A", email: "a@contoso.test", emailVerified: true },
  });
  const { state } = await createOAuthState({
    account: "mailer@contoso.test",
    roles: ["smtp"],
    userId: admin.id,
    sessionId: "s",
    verifier: "pkce-verifier-6",
  });
  const { secret: relaySecret } = await createCredential(
    relayCredentialSchema.parse({
      name: "product",
      allowedFrom: "mailer@contoso.test",
      allowedCidrs: "",
      ratePerMinute: 30,
    }),
    "admin@contoso.test",
  );
  const session = await signIn("rotation@contoso.test");
  expect(await sessionEmail(session)).toBe("rotation@contoso.test");
  const totp = await enrolTwoFactor("two-factor@contoso.test");
  expect(await twoFactorSignIn("two-factor@contoso.test", totp)).toBe(200);
  const sealedCount = (await sealedValues()).length;
  expect(sealedCount).toBe(4 + 1 + 1 + 2); // settings, token cache, PKCE verifier, session + relay secrets

  // Refused: a ring that does not hold the key in use changes nothing.
  const before = await sealedValues();
  await useRing([newKey]);
  await expect(rotateKeys()).rejects.toBeInstanceOf(KeyRotationRefused);
  expect(await sealedValues()).toEqual(before);

  // Rotation with the ring "new, old".
  await useRing([newKey, oldKey]);
  const report = await rotateKeys();
  expect(report.rotated).toBe(sealedCount);
  expect(await keyUsage()).toEqual({ [ringKey(newKey).id]: sealedCount });
  expect((await rotateKeys()).rotated).toBe(0); // once is enough

  // The new key alone: everything opens, the session and the relay credential still work.
  await useRing([newKey]);
  expect(await openable()).toEqual({ opened: sealedCount, failed: 0 });
  const settings = await getEmailSettings();
  expect(readSecret(settings, "smtpPassword")).toBe("smtp-password-1");
  expect(readSecret(settings, "imapPassword")).toBe("imap-password-2");
  expect(readSecret(settings, "msClientSecret")).toBe("client~secret~3");
  expect(readSecret(settings, "msCertificate")).toBe("-----BEGIN PRIVATE KEY-----4");
  const connection = await db.oAuthConnection.findUniqueOrThrow({ where: { account: "mailer@contoso.test" } });
  expect(openCache(connection.cacheEnc, connection.account)).toBe(cache);
  expect(sealedKeyId(connection.cacheEnc)).toBe(ringKey(newKey).id);
  const stateRow = await db.oAuthState.findUniqueOrThrow({ where: { stateHash: sha256(state) } });
  expect(decryptSecret(stateRow.verifierEnc, verifierContext(stateRow.stateHash))).toBe("pkce-verifier-6");
  expect(await sessionEmail(session)).toBe("rotation@contoso.test");
  expect(await twoFactorSignIn("two-factor@contoso.test", totp)).toBe(200);
  expect(await verifyCredential("product", relaySecret)).not.toBeNull();
  expect(await verifyCredential("product", `${relaySecret}x`)).toBeNull();

  // The old key alone no longer opens anything.
  await useRing([oldKey]);
  expect(await openable()).toEqual({ opened: 0, failed: sealedCount });
  await expect(rotateKeys()).rejects.toBeInstanceOf(KeyRotationRefused);
}
