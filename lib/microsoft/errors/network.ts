import { AuthError } from "@azure/msal-node";
import type { TranslatedError } from "@/lib/microsoft/errors/translate";

/**
 * Failures on the way to Microsoft's identity platform where Microsoft said nothing: it could not be
 * reached, it did not answer in time, or what answered was not a token response (a proxy's or a
 * captive portal's page, a truncated body). An `AuthError`, so MSAL passes it on unchanged from the
 * token endpoint; MSAL swallows discovery failures, so the network client also keeps the last one.
 */
type NetworkFailureKind = "unreachable" | "timeout" | "not_token_response";

export class IdentityNetworkError extends AuthError {
  constructor(
    readonly kind: NetworkFailureKind,
    /** host[:port] of the identity platform that was asked. */
    readonly host: string,
    /** unreachable: why ("connection refused"); not_token_response: what came ("HTTP 200 text/html"). */
    readonly detail: string,
    /** timeout: how long was waited. */
    readonly waitedMs = 0,
  ) {
    super(`network_${kind}`, `${host}: ${kind === "timeout" ? `no answer within ${waitedMs} ms` : detail}`);
    Object.setPrototypeOf(this, IdentityNetworkError.prototype);
    this.name = "IdentityNetworkError";
  }
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

/** The plain-language card text: never "Microsoft said", since nothing Microsoft said was received. */
export function translateNetworkFailure(failure: IdentityNetworkError): TranslatedError {
  const base = { code: null, microsoftText: null, correlationId: null, needsReauth: false } as const;
  switch (failure.kind) {
    case "unreachable":
      return {
        ...base,
        summary: `Could not reach Microsoft's identity platform at ${failure.host} (${failure.detail}).`,
        fix: `Nothing was changed. Check this server's network, DNS and outbound firewall or proxy towards ${failure.host}, and the cloud / authority setting.`,
      };
    case "timeout":
      return {
        ...base,
        summary: `Microsoft's identity platform did not answer within ${seconds(failure.waitedMs)} (${failure.host}).`,
        fix: "Nothing was changed and the connection stays authorized; a refresh that completes later is still saved. Try again in a moment; if it persists, check the network path to Microsoft.",
      };
    case "not_token_response":
      return {
        ...base,
        summary: `${failure.host} answered something that is not a token response (${failure.detail}).`,
        fix: "A proxy, a captive portal or a wrong authority answered instead of Microsoft's identity platform. Check the cloud / authority setting and any proxy between this server and Microsoft.",
      };
  }
}
