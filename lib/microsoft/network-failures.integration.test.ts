import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations } from "@/lib/db/migrate";
import { databaseUrl } from "@/lib/db/database-url";
import { authorizeAs, configure, startTestSandbox } from "../../test/support/sandbox-oauth";
import { SEED_TENANT, SEED_USERS, type RunningSandbox } from "@mail-connect/m365-sandbox";
import type { TokenEndpointMode } from "@mail-connect/m365-sandbox/control-client";

/**
 * Network failures towards Microsoft are named (issue 11, item 10): a reset, a refused port, a hang,
 * an HTML page or a truncated body read "could not reach …", "… did not answer within N s", "…
 * answered something that is not a token response (…)" — never "Microsoft said" when nothing did.
 * The token endpoint's fault modes come from the sandbox; a refused port is a closed local port.
 */
let sandbox: RunningSandbox;
let db: typeof import("@/lib/db/client").db;
let mt: typeof import("@/lib/microsoft/mail-token");
let errors: typeof import("@/lib/microsoft/errors/token-errors");

beforeAll(async () => {
  await applyMigrations(databaseUrl());
  sandbox = await startTestSandbox();
  ({ db } = await import("@/lib/db/client"));
  mt = await import("@/lib/microsoft/mail-token");
  errors = await import("@/lib/microsoft/errors/token-errors");
  await configure(sandbox);
  await authorizeAs(sandbox, "smtp", SEED_USERS.mailer);
});
afterAll(async () => {
  await sandbox?.stop();
});

/** A forced refresh while the token endpoint misbehaves once: the error's text. */
async function refreshFailure(mode: TokenEndpointMode): Promise<string> {
  await sandbox.control.setTokenEndpoint(mode, 1);
  try {
    const error = await mt.acquireMailToken("smtp", { forceRefresh: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(errors.MicrosoftTokenError);
    const message = (error as Error).message;
    expect(message).not.toContain("Microsoft said");
    expect(message).not.toContain("network_error");
    return message;
  } finally {
    await sandbox.control.setTokenEndpoint("none");
  }
}

describe("named network failures", () => {
  it("a reset connection: could not reach", async () => {
    expect(await refreshFailure("reset")).toMatch(
      /^Could not reach Microsoft's identity platform at 127\.0\.0\.1:\d+ \((the connection was reset|the connection was closed before any answer)\)\./,
    );
  });

  it("an HTML page (a captive portal, a proxy): not a token response (HTTP 200 text/html)", async () => {
    expect(await refreshFailure("html")).toMatch(
      /^127\.0\.0\.1:\d+ answered something that is not a token response \(HTTP 200 text\/html\)\./,
    );
  });

  it("a truncated JSON body: not a token response (HTTP 200 application/json)", async () => {
    expect(await refreshFailure("truncated")).toMatch(
      /answered something that is not a token response \(HTTP 200 application\/json\)\./,
    );
  });

  it("a hang: did not answer within the give-up time", async () => {
    await sandbox.control.setTokenEndpoint("hang");
    try {
      const error = await mt
        .acquireMailToken("smtp", { forceRefresh: true, giveUpAt: { at: Date.now() + 800, ms: 800 } })
        .catch((e: unknown) => e);
      expect((error as Error).message).toMatch(/^Microsoft's identity platform did not answer within 0\.8 s/);
    } finally {
      await sandbox.control.setTokenEndpoint("none");
    }
  });

  it("a request timeout of the network client: did not answer within N s", async () => {
    const { identityNetworkClient } = await import("@/lib/microsoft/network-client");
    const { translateMsalError } = await import("@/lib/microsoft/errors/msal");
    await sandbox.control.setTokenEndpoint("hang");
    try {
      const error = await identityNetworkClient(300)
        .sendPostRequestAsync(`${sandbox.authorityOrigin}/${SEED_TENANT.id}/oauth2/v2.0/token`, { body: "x=1" })
        .catch((e: unknown) => e);
      expect(translateMsalError(error).summary).toMatch(
        /^Microsoft's identity platform did not answer within 0\.3 s \(127\.0\.0\.1:\d+\)\.$/,
      );
    } finally {
      await sandbox.control.setTokenEndpoint("none");
    }
  });

  it("a refused port (the discovery document MSAL reads first): could not reach, connection refused", async () => {
    const port = await closedPort();
    const { createMsalClient, loadMicrosoftConfig } = await import("@/lib/microsoft/msal-client");
    const { identityNetworkClient } = await import("@/lib/microsoft/network-client");
    const { translateMsalError } = await import("@/lib/microsoft/errors/msal");
    const config = await loadMicrosoftConfig();
    if ("problem" in config) throw new Error(config.problem);
    const origin = `https://127.0.0.1:${port}`;
    const network = identityNetworkClient();
    const error = await createMsalClient(
      { ...config, authorityOrigin: origin, authority: `${origin}/${config.tenant}` },
      undefined,
      network,
    )
      .getAuthCodeUrl({ scopes: ["openid"], redirectUri: "https://localhost:3000/flexdeploy/rest/v2/oauth" })
      .catch((e: unknown) => e);
    const t = translateMsalError(error, {}, network);
    expect(t.summary).toBe(`Could not reach Microsoft's identity platform at 127.0.0.1:${port} (connection refused).`);
    expect(t.microsoftText).toBeNull();
  });

  it("none of these marks the connection as failed", async () => {
    const row = await db.oAuthConnection.findUniqueOrThrow({ where: { account: "mailer@contoso.test" } });
    expect(row.status).toBe("connected");
    expect((await mt.acquireMailToken("smtp", { forceRefresh: true })).accessToken).toBeTruthy();
  });
});

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}
