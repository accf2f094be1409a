import { AuthError, InteractionRequiredAuthError, ServerError } from "@azure/msal-node";
import { IdentityNetworkError, translateNetworkFailure } from "@/lib/microsoft/errors/network";
import { translateMicrosoftError, type TranslatedError } from "@/lib/microsoft/errors/translate";

/** invalid_grant is a ServerError (not an InteractionRequiredAuthError) unless it carries a suberror. */
export function isReauthorizationError(error: unknown): boolean {
  if (error instanceof InteractionRequiredAuthError) return true;
  if (error instanceof AuthError) {
    const code = error.errorCode;
    return (
      code === "invalid_grant" ||
      code === "interaction_required" ||
      code === "consent_required" ||
      code === "login_required" ||
      code === "no_tokens_found"
    );
  }
  return false;
}

/**
 * MSAL error → the plain-language translation (no tokens: MSAL's messages carry none). `network`:
 * the network client of the failed call, whose last failure names what MSAL's own error hides (it
 * turns an unreachable or garbled discovery document into `endpoints_resolution_error`).
 */
export function translateMsalError(
  error: unknown,
  ctx: Parameters<typeof translateMicrosoftError>[1] = {},
  network?: { lastFailure: IdentityNetworkError | null },
): TranslatedError {
  if (error instanceof IdentityNetworkError) return translateNetworkFailure(error);
  if (network?.lastFailure && !(error instanceof ServerError)) return translateNetworkFailure(network.lastFailure);
  if (error instanceof ServerError || error instanceof AuthError) {
    return translateMicrosoftError(
      {
        error: error.errorCode,
        code: error instanceof ServerError ? (error.errorNo ?? null) : null,
        description: error.errorMessage,
        suberror: error.subError,
        correlationId: error.correlationId || null,
      },
      ctx,
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    code: null,
    summary: "Could not reach Microsoft's identity platform.",
    fix: `Check the network and the cloud / authority setting. (${message.slice(0, 200)})`,
    microsoftText: null,
    correlationId: null,
    needsReauth: false,
  };
}
