import "server-only";
import type { ICachePlugin, TokenCacheContext } from "@azure/msal-node";
import { decryptSecret, encryptSecret } from "@/lib/crypto/secret-box";

/**
 * MSAL token cache persistence: one encrypted cache per OAuthConnection (the row's `cacheEnc`).
 *
 * The plugin holds the connection's cache as it was read from the database and hands it to MSAL
 * before every cache access; after an access that changed the cache (a code redeemed, a token
 * refreshed — which always rotates the refresh token) it keeps the new serialization and calls
 * `onChange`, which writes it to the database. A failed write is recorded in `persistError`
 * instead of being thrown inside MSAL, so the caller decides (acquireMailToken refuses to hand out
 * a token whose rotated refresh token could not be saved).
 */
export function cacheEncryptionContext(account: string): string {
  return `OAuthConnection.cache:${account.toLowerCase()}`;
}

export function sealCache(json: string, account: string): string {
  return encryptSecret(json, cacheEncryptionContext(account));
}

export function openCache(sealed: string, account: string): string {
  return decryptSecret(sealed, cacheEncryptionContext(account));
}

export class ConnectionCachePlugin implements ICachePlugin {
  /** True once MSAL changed the cache during this plugin's life. */
  changed = false;
  persistError: unknown = null;

  constructor(
    private snapshot: string | null,
    private readonly onChange?: (serialized: string) => Promise<void>,
  ) {}

  /** The newest serialization (what MSAL last wrote, or what was loaded). */
  get serialized(): string | null {
    return this.snapshot;
  }

  async beforeCacheAccess(context: TokenCacheContext): Promise<void> {
    if (this.snapshot) context.tokenCache.deserialize(this.snapshot);
  }

  async afterCacheAccess(context: TokenCacheContext): Promise<void> {
    if (!context.cacheHasChanged) return;
    this.snapshot = context.tokenCache.serialize();
    this.changed = true;
    if (!this.onChange) return;
    try {
      await this.onChange(this.snapshot);
    } catch (error) {
      this.persistError = error;
    }
  }
}
