import { randomBytes } from "node:crypto";

/** A fresh CSP nonce for one response (128 random bits, base64). */
export function newNonce(): string {
  return randomBytes(16).toString("base64");
}

/**
 * The Content-Security-Policy of every page: scripts only with this response's nonce (and what they
 * load, 'strict-dynamic'), styles and everything else from this origin only, no plugins, no <base>, no
 * framing. `formTargets` are the origins a form may be sent to besides this one: the Authorize form
 * posts here and is redirected to the configured identity platform, and browsers apply form-action to
 * that redirect too.
 */
export function contentSecurityPolicy(input: { nonce: string; formTargets?: readonly string[] }): string {
  const formAction = ["'self'", ...new Set(input.formTargets ?? [])].join(" ");
  return [
    "default-src 'self'",
    `script-src 'nonce-${input.nonce}' 'strict-dynamic'`,
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    `form-action ${formAction}`,
  ].join("; ");
}

/** Headers for every response, besides the CSP of pages. */
export const STATIC_SECURITY_HEADERS: ReadonlyArray<readonly [string, string]> = [
  ["X-Frame-Options", "DENY"],
  ["X-Content-Type-Options", "nosniff"],
  ["Strict-Transport-Security", "max-age=31536000"],
  ["Cross-Origin-Opener-Policy", "same-origin"],
  ["Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"],
];

/** The referrer policy unless a response chose a stricter one (the OAuth redirects send none). */
export const DEFAULT_REFERRER_POLICY = "same-origin";
