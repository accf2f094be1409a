import { existsSync, readFileSync } from "node:fs";
import { hkdfSync } from "node:crypto";
import path from "node:path";
import Database from "better-sqlite3";
import type { BrowserContext } from "@playwright/test";
import { decryptSecret } from "../../lib/crypto/secret-box";
import { APP_URL, STACK } from "./stack-config";

/**
 * The security sweep's evidence: everything the app sent to the browser, and the real token
 * strings the app holds. The tokens never reach the browser, so they are read where the app keeps
 * them — its database, decrypted with its key (the harness owns the app's DATA_DIR) — and matched
 * against the sandbox's record of what it issued (fingerprints), so the sweep searches for the
 * actual strings, not only for their shape.
 */

export type RecordedResponse = { url: string; status: number; headers: string; body: string };

/** Records every response from the app (HTML, RSC payloads, JSON, redirects' headers) in this context. */
export function recordAppResponses(context: BrowserContext, into: RecordedResponse[]): void {
  context.on("response", async (r) => {
    if (!r.url().startsWith(APP_URL)) return;
    const headers = JSON.stringify(await r.allHeaders().catch(() => ({})));
    let body = "";
    try {
      body = await r.text();
    } catch {
      // redirects and aborted requests have no body
    }
    into.push({ url: r.url(), status: r.status(), headers, body });
  });
}

/** The app's secrets key, derived exactly as lib/crypto/encryption-key.ts does. */
function appSecretsKey(): Buffer {
  const text = process.env.APP_ENCRYPTION_KEY ?? readFileSync(path.join(STACK.appDataDir, "encryption.key"), "utf8");
  const trimmed = text.trim();
  const master = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, "hex") : Buffer.from(trimmed, "base64");
  return Buffer.from(hkdfSync("sha256", master, Buffer.alloc(0), "mail-connect:secrets", 32));
}

export type StoredTokens = { accessTokens: string[]; refreshTokens: string[]; idTokens: string[] };

type MsalCache = Record<string, Record<string, { secret?: string }> | undefined>;

/** Decrypts every OAuthConnection's MSAL cache and returns the token strings in it. */
export function readStoredTokens(): StoredTokens {
  const out: StoredTokens = { accessTokens: [], refreshTokens: [], idTokens: [] };
  const file = path.join(STACK.appDataDir, "mail-connect.db");
  if (!existsSync(file)) return out;
  const key = appSecretsKey();
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma("busy_timeout = 5000");
    const rows = db.prepare(`SELECT "account", "cacheEnc" FROM "OAuthConnection"`).all() as {
      account: string;
      cacheEnc: string;
    }[];
    for (const row of rows) {
      const cache = JSON.parse(
        decryptSecret(row.cacheEnc, `OAuthConnection.cache:${row.account.toLowerCase()}`, key),
      ) as MsalCache;
      const secrets = (section: string) =>
        Object.values(cache[section] ?? {})
          .map((e) => e.secret)
          .filter((s): s is string => Boolean(s));
      out.accessTokens.push(...secrets("AccessToken"));
      out.refreshTokens.push(...secrets("RefreshToken"));
      out.idTokens.push(...secrets("IdToken"));
    }
  } finally {
    db.close();
  }
  return out;
}

/** Accumulates the distinct token strings seen at each harvest (tokens rotate between harvests). */
export class TokenHarvest {
  readonly accessTokens = new Set<string>();
  readonly refreshTokens = new Set<string>();
  readonly idTokens = new Set<string>();

  harvest(): void {
    const t = readStoredTokens();
    for (const s of t.accessTokens) this.accessTokens.add(s);
    for (const s of t.refreshTokens) this.refreshTokens.add(s);
    for (const s of t.idTokens) this.idTokens.add(s);
  }

  all(): string[] {
    return [...this.accessTokens, ...this.refreshTokens, ...this.idTokens];
  }
}

/** Token shapes: a JWT (access and ID tokens) and the sandbox's / Microsoft's opaque refresh tokens. */
export const JWT_SHAPE = /eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\./;
export const REFRESH_TOKEN_SHAPE = /\b[01]\.[A-Za-z0-9_-]{90,}/;

/** The first place `needle` occurs, for a readable failure ("found in GET /settings/email"), or null. */
export function whereFound(needle: string, responses: RecordedResponse[], log: string): string | null {
  for (const r of responses) {
    if (r.body.includes(needle)) return `body of ${r.status} ${r.url}`;
    if (r.headers.includes(needle)) return `headers of ${r.status} ${r.url}`;
  }
  if (log.includes(needle)) return "the server log";
  return null;
}

export function whereShapeFound(shape: RegExp, responses: RecordedResponse[], log: string): string | null {
  for (const r of responses) {
    const m = shape.exec(r.body) ?? shape.exec(r.headers);
    if (m) return `${r.url}: …${m[0].slice(0, 24)}…`;
  }
  const m = shape.exec(log);
  return m ? `the server log: …${m[0].slice(0, 24)}…` : null;
}
