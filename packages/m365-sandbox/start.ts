import type { Server as HttpsServer } from "node:https";
import type { AddressInfo, Server as NetServer, Socket } from "node:net";
import { resolve } from "node:path";
import type { SMTPServer } from "smtp-server";
import { ensureTls } from "./ca";
import { SandboxContext } from "./context";
import { SandboxControl } from "./control-client";
import { createIdentityServer } from "./identity/server";
import { createImapServer } from "./imap/server";
import { buildSeedData, SEED_APP } from "./seed";
import { createSmtpServer } from "./smtp-server";
import { emptyData, Store } from "./store";
import { TokenSigner } from "./tokens";

/**
 * Start the whole sandbox (identity platform over HTTPS with the control API, SMTP with
 * STARTTLS, IMAP over TLS) in this process.
 */

export interface StartSandboxOptions {
  /** Where the CA, keys and the JSON data file live (created if missing, reused otherwise). */
  dataDir: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 (default) picks a free port. */
  identityPort?: number;
  smtpPort?: number;
  imapPort?: number;
  /** Seed the directory when the data file does not exist yet (default true). */
  seed?: boolean;
  /** Redirect URIs of the seeded app (added to it when the data file already exists). */
  appRedirectUris?: string[];
}

export interface RunningSandbox {
  /** `https://127.0.0.1:PORT`: the authority is `${authorityOrigin}/${tenant}`. */
  authorityOrigin: string;
  /** For MSAL's knownAuthorities: `127.0.0.1:PORT`. */
  authorityHost: string;
  smtp: { host: string; port: number };
  imap: { host: string; port: number };
  dataDir: string;
  /** PEM file of the sandbox CA. */
  caCertFile: string;
  /** System CAs + sandbox CA, for NODE_EXTRA_CA_CERTS. */
  caBundleFile: string;
  /** PEM of the sandbox CA, for `ca` options of in-process clients. */
  caCert: string;
  control: SandboxControl;
  stop(): Promise<void>;
}

function listen(server: NetServer, port: number, host: string): Promise<number> {
  return new Promise((resolvePort, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolvePort((server.address() as AddressInfo).port);
    });
  });
}

function trackSockets(server: NetServer): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  return sockets;
}

export async function startSandbox(options: StartSandboxOptions): Promise<RunningSandbox> {
  const dataDir = resolve(options.dataDir);
  const host = options.host ?? "127.0.0.1";
  const seed = options.seed ?? true;
  const tls = await ensureTls(dataDir);
  const store = new Store(dataDir, () =>
    seed ? buildSeedData({ appRedirectUris: options.appRedirectUris }) : emptyData(),
  );
  if (options.appRedirectUris) {
    const app = store.app(SEED_APP.clientId);
    if (app) {
      for (const uri of options.appRedirectUris) if (!app.redirectUris.includes(uri)) app.redirectUris.push(uri);
      store.save();
    }
  }
  const ctx = new SandboxContext(store, new TokenSigner(dataDir), tls);
  ctx.reseed = (uris) => store.replace(buildSeedData({ appRedirectUris: uris ?? options.appRedirectUris }));

  const identity: HttpsServer = createIdentityServer(ctx);
  const smtp: SMTPServer = createSmtpServer(ctx);
  const imap = createImapServer(ctx);
  const imapSockets = trackSockets(imap);

  const started: Array<() => Promise<void>> = [];
  const stop = async (): Promise<void> => {
    for (const res of ctx.hanging) res.destroy();
    ctx.hanging.clear();
    await Promise.all(started.map((fn) => fn().catch(() => undefined)));
    ctx.store.flush();
  };
  try {
    const identityPort = await listen(identity, options.identityPort ?? 0, host);
    started.push(
      () =>
        new Promise<void>((r) => {
          identity.close(() => r());
          identity.closeAllConnections();
        }),
    );
    const urlHost = host.includes(":") ? `[${host}]` : host;
    ctx.origin = `https://${urlHost}:${identityPort}`;

    const smtpPort = await listen(smtp.server as unknown as NetServer, options.smtpPort ?? 0, host);
    started.push(() => new Promise<void>((r) => smtp.close(() => r())));

    const imapPort = await listen(imap, options.imapPort ?? 0, host);
    started.push(
      () =>
        new Promise<void>((r) => {
          imap.close(() => r());
          for (const s of imapSockets) s.destroy();
        }),
    );
    ctx.endpoints = { host, smtpPort, imapPort };

    return {
      authorityOrigin: ctx.origin,
      authorityHost: `${urlHost}:${identityPort}`,
      smtp: { host, port: smtpPort },
      imap: { host, port: imapPort },
      dataDir,
      caCertFile: tls.caCertFile,
      caBundleFile: tls.caBundleFile,
      caCert: tls.caCert,
      control: new SandboxControl({ origin: ctx.origin, ca: tls.caCert }),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

export { sandboxNetworkClient } from "./network";
export * from "./seed";
export { SandboxControl } from "./control-client";
