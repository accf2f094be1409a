import "server-only";

/**
 * A read that a hot path repeats for every message (the relay reads Email Settings and its
 * credential's revocation per message) done at most once per `maxAgeMs`: each further call within that
 * time gets the same answer. A write in this process forgets the key at once (`forgetRecentRead`);
 * another instance's write is seen within `maxAgeMs`. A failed read is not kept.
 *
 * Kept on globalThis: Next.js bundles server modules more than once, and the relay (started by the
 * server) and the actions that save must share one cache.
 */
type Entry = { at: number; value: Promise<unknown> };

const shared = globalThis as unknown as { mailConnectRecentReads?: Map<string, Entry> };
shared.mailConnectRecentReads ??= new Map();
const reads = shared.mailConnectRecentReads;

export function recentRead<T>(key: string, maxAgeMs: number, read: () => Promise<T>): Promise<T> {
  const now = Date.now();
  const kept = reads.get(key);
  if (kept && now - kept.at < maxAgeMs) return kept.value as Promise<T>;
  const value = read();
  reads.set(key, { at: now, value });
  value.catch(() => {
    if (reads.get(key)?.value === value) reads.delete(key);
  });
  return value;
}

export function forgetRecentRead(key: string): void {
  reads.delete(key);
}
