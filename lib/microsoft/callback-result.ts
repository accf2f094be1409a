import type { MailRole } from "@/lib/microsoft/client-safe/mail-roles";
import type { TranslatedError } from "@/lib/microsoft/errors/translate";

/**
 * The outcome of the OAuth callback, stored on the consumed state row and shown once as the result
 * banner on Email Settings. Plain data (no secrets, no tokens). Imports nothing server-only.
 */
export type CallbackResult =
  | { kind: "connected"; roles: MailRole[]; username: string; expected: string; alias: boolean; scopes: string[] }
  | {
      kind: "wrong_user";
      roles: MailRole[];
      signedInAs: string;
      otherNames: string[];
      expected: string;
      logoutUrl: string | null;
    }
  | { kind: "microsoft_error"; roles: MailRole[]; error: TranslatedError }
  | { kind: "error"; roles: MailRole[]; message: string };

/** Problems found before any state could be trusted: shown from a fixed code in the URL. */
export const CALLBACK_PROBLEMS = {
  state_missing:
    "The sign-in response from Microsoft had no state. Nothing was changed. Start again with Authorize on this page.",
  state_unknown:
    "The sign-in response did not match any authorization started here (unknown or altered state). Nothing was changed. Start again with Authorize.",
  state_used:
    "This sign-in response was already used (a reload or a replayed link). Nothing was changed. Start again with Authorize if you need to.",
  state_expired:
    "The authorization expired: more than 10 minutes passed between Authorize and the return from Microsoft. Nothing was changed. Click Authorize again.",
  state_other_session:
    "This sign-in was started by another administrator session (or in another browser). Nothing was changed. Click Authorize again from this browser.",
  session_missing:
    "Your session was missing when Microsoft sent you back. This happens when the address in the browser differs from the Server Base URL (the callback lands on the Server Base URL's host). Open Mail Connect at the Server Base URL, sign in, and Authorize again.",
  not_ready: "Authorize cannot start yet: see the reasons next to the button.",
  database_unavailable: "The database is unavailable, so nothing was changed. Try again when it is back.",
  unexpected:
    "Something went wrong while completing the authorization. Nothing was changed. The server log has the details.",
  microsoft: "Microsoft returned an error.",
} as const;

export type CallbackProblem = keyof typeof CALLBACK_PROBLEMS;

export function isCallbackProblem(value: unknown): value is CallbackProblem {
  return typeof value === "string" && Object.hasOwn(CALLBACK_PROBLEMS, value);
}

/**
 * The OAuth / OpenID Connect error codes an identity platform may put in the redirect (RFC 6749 §4.1.2.1,
 * OpenID Connect Core §3.1.2.6): the only `error` values the Email Settings banner shows. Any other text
 * in the URL is someone's typing, not Microsoft's answer, and is never shown.
 */
const OAUTH_ERROR_CODES = new Set([
  "invalid_request",
  "unauthorized_client",
  "access_denied",
  "unsupported_response_type",
  "invalid_scope",
  "server_error",
  "temporarily_unavailable",
  "interaction_required",
  "login_required",
  "account_selection_required",
  "consent_required",
  "invalid_request_uri",
  "invalid_request_object",
  "request_not_supported",
  "request_uri_not_supported",
  "registration_not_supported",
  "invalid_grant",
  "invalid_client",
]);

/** `value` when it is a known OAuth error code, otherwise null. */
export function knownOAuthError(value: string | undefined): string | null {
  return value !== undefined && OAUTH_ERROR_CODES.has(value) ? value : null;
}
