/**
 * What the HTTPS server (scripts/server.ts) needs from the app's settings on every request, without a
 * database client of its own: the app publishes a reader on globalThis when Next starts (instrumentation →
 * lib/http/edge-settings.ts; Next runs in the server's process), and the server calls it. The reader
 * caches for a moment, so a request costs no query.
 */
export type EdgeSettings = {
  /** Origins whose requests may change something; their hosts are the Host values answered. */
  trustedOrigins: string[];
  /** The configured identity platform's origin (the Authorize form's redirect target), if any. */
  identityOrigin: string | null;
  /** No administrator yet: any Host may complete first-run setup (it records the origin it used). */
  setupOpen: boolean;
};

const KEY = Symbol.for("mail-connect.edge-settings");
/** `fresh`: read now (a page the browser navigates to: its CSP must name the identity platform saved a moment ago). */
type Reader = (fresh: boolean) => Promise<EdgeSettings>;
type Holder = { [KEY]?: Reader };

export function publishEdgeReader(read: Reader): void {
  (globalThis as Holder)[KEY] = read;
}

/** The published reader's answer; before the app published it (or if it fails), the given fallback. */
export async function readEdgeSettings(fallback: EdgeSettings, fresh = false): Promise<EdgeSettings> {
  const read = (globalThis as Holder)[KEY];
  if (!read) return fallback;
  try {
    return await read(fresh);
  } catch {
    return fallback;
  }
}
