/** Where sign-in sends the admin when `next` is missing or not an admin page of this origin. */
export const DEFAULT_RETURN_PATH = "/settings/email";

// Any control character, white space or backslash: browsers drop tab/CR/LF from URLs and read "\" as "/",
// which is how "/\t/evil.test" or "/\\evil.test" become "//evil.test" (another host).
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses
const UNSAFE = /[\u0000-\u0020\u007f-\u00a0\\]/;
// A placeholder origin: only whether the path stays on it matters, never its name.
const SELF = "https://mail-connect.invalid";

/**
 * The page to return to after sign-in: a path of this origin under /settings/ (every admin page lives
 * there), with its query and fragment; anything else (another origin, a scheme, "//", encoded tricks,
 * control characters, malformed escapes) gives Email Settings. Never throws; the result is ASCII.
 */
export function safeReturnPath(next: unknown): string {
  if (typeof next !== "string" || next.length === 0 || next.length > 2000) return DEFAULT_RETURN_PATH;
  if (UNSAFE.test(next) || !next.startsWith("/") || next.startsWith("//")) return DEFAULT_RETURN_PATH;
  let url: URL;
  let decodedPath: string;
  try {
    url = new URL(next, SELF);
    decodedPath = decodeURIComponent(url.pathname);
  } catch {
    return DEFAULT_RETURN_PATH;
  }
  if (url.origin !== SELF || UNSAFE.test(decodedPath) || decodedPath.startsWith("//")) return DEFAULT_RETURN_PATH;
  if (url.pathname !== "/settings" && !url.pathname.startsWith("/settings/")) return DEFAULT_RETURN_PATH;
  return `${url.pathname}${url.search}${url.hash}`;
}
