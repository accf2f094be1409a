import { AuthError, InteractionRequiredAuthError, ServerError } from "@azure/msal-node";
import { describe, expect, it } from "vitest";
import { isReauthorizationError, translateMsalError } from "@/lib/microsoft/errors/msal";

describe("MSAL errors", () => {
  it("invalid_grant is a ServerError that still means re-authorize", () => {
    expect(isReauthorizationError(new ServerError("invalid_grant", "", "AADSTS50173: revoked"))).toBe(true);
    expect(isReauthorizationError(new InteractionRequiredAuthError("whatever", ""))).toBe(true);
    expect(isReauthorizationError(new ServerError("invalid_client", "", "AADSTS7000215: bad secret"))).toBe(false);
    expect(isReauthorizationError(new Error("network"))).toBe(false);
  });

  it("translates MSAL's errors with the caller's context", () => {
    const t = translateMsalError(
      new ServerError("invalid_request", "corr-1", "AADSTS700016: app not found", "", "700016"),
      {
        clientId: "client-1",
        tenant: "contoso.com",
      },
    );
    expect(t.code).toBe("AADSTS700016");
    expect(t.summary).toContain("client-1");
    expect(t.correlationId).toBe("corr-1");
    expect(translateMsalError(new AuthError("no_tokens_found", "")).code).toBe("no_tokens_found");
  });

  it("anything else is a network problem", () => {
    expect(translateMsalError(new Error("ECONNREFUSED"))).toMatchObject({
      code: null,
      summary: "Could not reach Microsoft's identity platform.",
      needsReauth: false,
    });
  });
});
