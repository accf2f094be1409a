import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { RunningSandbox } from "@mail-connect/m365-sandbox";
import { startMailTestStack } from "../../test/support/mail-checks";
import { type ConnectProxy, startConnectProxy } from "../../test/support/connect-proxy";

/**
 * HTTPS_PROXY / NO_PROXY: MSAL's token requests (lib/microsoft/network-client.ts) and the app's own
 * fetches (lib/http/outbound.ts) go through a CONNECT proxy — here a local one that counts its
 * tunnels — and NO_PROXY sends them direct.
 */
let sandbox: RunningSandbox;
let proxy: ConnectProxy;
let identityHost: string;

beforeAll(async () => {
  sandbox = await startMailTestStack({ smtpConnectionType: "application", imapConnectionType: "application" });
  proxy = await startConnectProxy();
  const { loadMicrosoftConfig } = await import("@/lib/microsoft/msal-client");
  const config = await loadMicrosoftConfig();
  if ("problem" in config) throw new Error(config.problem);
  identityHost = new URL(config.authorityOrigin).host;
});
afterAll(async () => {
  await proxy?.close();
  await sandbox?.stop();
});
afterEach(async () => {
  await (await import("@/lib/http/outbound")).closeOutboundConnections(); // no tunnel kept alive for the next test
  delete process.env.HTTPS_PROXY;
  delete process.env.NO_PROXY;
  proxy.refuse = false;
  proxy.tunnels.length = 0;
});

/** A client-credentials token request through MSAL with the product's network client. */
async function requestToken(network?: import("@/lib/microsoft/network-client").IdentityNetwork) {
  const { createMsalClient, loadMicrosoftConfig } = await import("@/lib/microsoft/msal-client");
  const { identityNetworkClient } = await import("@/lib/microsoft/network-client");
  const config = await loadMicrosoftConfig();
  if ("problem" in config) throw new Error(config.problem);
  network ??= identityNetworkClient();
  const msal = createMsalClient(config, undefined, network);
  if (!("acquireTokenByClientCredential" in msal)) throw new Error("not a confidential client");
  const result = await msal.acquireTokenByClientCredential({
    scopes: ["https://outlook.office365.com/.default"],
    skipCache: true,
  });
  return { result, network };
}

describe("outbound proxy", () => {
  it("sends MSAL's token request through HTTPS_PROXY (a CONNECT tunnel to the identity platform)", async () => {
    process.env.HTTPS_PROXY = proxy.url;
    await sandbox.control.clearTokenCalls();
    const { result } = await requestToken();
    expect(result?.accessToken).toBeTruthy();
    expect((await sandbox.control.tokenCalls()).map((c) => c.grantType)).toEqual(["client_credentials"]);
    expect(proxy.tunnels.length).toBeGreaterThanOrEqual(1);
    expect(new Set(proxy.tunnels)).toEqual(new Set([identityHost]));
  });

  it("goes direct for a host NO_PROXY lists", async () => {
    process.env.HTTPS_PROXY = proxy.url;
    process.env.NO_PROXY = `example.test, ${identityHost.split(":")[0]}`;
    const { result } = await requestToken();
    expect(result?.accessToken).toBeTruthy();
    expect(proxy.tunnels).toEqual([]);
  });

  it("names a proxy that refuses the tunnel as the identity platform being unreachable", async () => {
    process.env.HTTPS_PROXY = proxy.url;
    proxy.refuse = true;
    const { translateMsalError } = await import("@/lib/microsoft/errors/msal");
    const { identityNetworkClient } = await import("@/lib/microsoft/network-client");
    const network = identityNetworkClient();
    const error = await requestToken(network).catch((e: unknown) => e);
    const t = translateMsalError(error, {}, network);
    expect(t.summary).toMatch(/^Could not reach Microsoft's identity platform at 127\.0\.0\.1:\d+ \(the proxy refused/);
  });

  it("outboundFetch (Graph, webhooks) honours HTTPS_PROXY and NO_PROXY too", async () => {
    const { outboundFetch } = await import("@/lib/http/outbound");
    const url = `https://${identityHost}/${"common"}/v2.0/.well-known/openid-configuration`;
    process.env.HTTPS_PROXY = proxy.url;
    const viaProxy = await outboundFetch(url, { ca: sandbox.caCert });
    expect(viaProxy.status).toBe(200);
    await viaProxy.arrayBuffer();
    expect(proxy.tunnels).toEqual([identityHost]);
    process.env.NO_PROXY = "*";
    const direct = await outboundFetch(url, { ca: sandbox.caCert });
    expect(direct.status).toBe(200);
    await direct.arrayBuffer();
    expect(proxy.tunnels).toEqual([identityHost]);
  });

  it("graphFetch (the Graph transport) goes through the proxy as well", async () => {
    const { graphFetch } = await import("@/lib/microsoft/graph-client");
    process.env.HTTPS_PROXY = proxy.url;
    // the sandbox's Graph listens on the identity host: without a token it answers 401, through the tunnel
    const answer = await graphFetch(`https://${identityHost}/v1.0/me/sendMail`, {
      method: "POST",
      headers: { "Content-Type": "text/plain" },
      body: "x",
      ca: sandbox.caCert,
    });
    expect(answer.status).toBe(401);
    expect(proxy.tunnels).toEqual([identityHost]);
  });
});
