import type { AadError } from "./errors";

/** A token-endpoint refusal: the handler answers it in Microsoft's error shape. */
export class TokenError extends Error {
  constructor(readonly aad: AadError) {
    super(aad.message);
  }
}

export function fail(aad: AadError): never {
  throw new TokenError(aad);
}
