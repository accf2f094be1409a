/**
 * Vitest helpers for the IMAP gateway: the relay runtime with the gateway enabled on a free port (the
 * app's certificate, the sandbox's CA trusted upstream), a credential scoped to mailboxes, imapflow
 * clients of the gateway and a raw TLS conversation for what imapflow hides.
 */
import { connect, type TLSSocket } from "node:tls";
import { ImapFlow, type ImapFlowOptions } from "imapflow";
import type { RunningSandbox } from "@mail-connect/m365-sandbox";
import type { RelayRuntimeOptions } from "@/lib/relay/relay-runtime";
import { ADMIN } from "./sandbox-oauth";
import { createRelayCredential } from "./relay-stack";

export type GatewayHandle = Awaited<ReturnType<typeof startImapGatewayRuntime>>;

export async function startImapGatewayRuntime(
  sandbox: RunningSandbox,
  options: Pick<RelayRuntimeOptions, "closeTimeoutMs" | "imapPreAuthTimeoutMs"> = {},
) {
  const { loadOrCreateCertificate } = await import("@/lib/runtime/tls-certificate");
  const { startRelayRuntime } = await import("@/lib/relay/relay-runtime");
  const { setImapEnabled } = await import("@/lib/relay/imap/imap-repository");
  const tls = await loadOrCreateCertificate();
  await setImapEnabled(true, ADMIN.email);
  const runtime = startRelayRuntime({
    key: tls.key,
    cert: tls.cert,
    port: 0,
    imapPort: 0,
    host: "127.0.0.1",
    pollMs: 60_000,
    upstream: { tls: { ca: sandbox.caCert } },
    ...options,
  });
  await runtime.sync();
  const port = runtime.imapPort();
  if (!port) throw new Error("the IMAP gateway did not start");
  return { runtime, port, cert: tls.cert };
}

/** A relay credential whose IMAP scope is `mailboxes`. */
export async function imapCredential(name: string, mailboxes: string[]) {
  const { setImapMailboxes } = await import("@/lib/relay/credential-repository");
  const created = await createRelayCredential(name);
  await setImapMailboxes(created.credential.id, mailboxes);
  return created;
}

export function gatewayClient(
  gateway: { port: number; cert: string },
  auth: { user: string; pass: string; loginMethod?: string },
  extra: Partial<ImapFlowOptions> = {},
): ImapFlow {
  const c = new ImapFlow({
    host: "127.0.0.1",
    port: gateway.port,
    secure: true,
    tls: { ca: gateway.cert, servername: "localhost" },
    auth,
    logger: false,
    ...extra,
  });
  c.on("error", () => undefined); // the tests look at the rejected promises and the close event
  return c;
}

/** A raw IMAP conversation with the gateway. */
export class RawImap {
  private buffer = "";
  private waiters: Array<() => void> = [];
  private constructor(readonly socket: TLSSocket) {
    socket.on("data", (d: Buffer) => {
      this.buffer += d.toString("utf8");
      for (const w of this.waiters.splice(0)) w();
    });
    socket.on("end", () => {
      for (const w of this.waiters.splice(0)) w();
    });
  }
  static async open(gateway: { port: number; cert: string }): Promise<{ raw: RawImap; greeting: string }> {
    const socket = connect({ host: "127.0.0.1", port: gateway.port, ca: gateway.cert, servername: "localhost" });
    await new Promise<void>((resolve, reject) => {
      socket.once("secureConnect", () => resolve());
      socket.once("error", reject);
    });
    const raw = new RawImap(socket);
    return { raw, greeting: await raw.until(/^\* OK [^\r\n]*\r\n/m) };
  }
  async until(re: RegExp, timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = re.exec(this.buffer);
      if (m) {
        const out = this.buffer.slice(0, m.index + m[0].length);
        this.buffer = this.buffer.slice(m.index + m[0].length);
        return out;
      }
      if (this.socket.readableEnded) throw new Error(`closed while waiting for ${re}; have: ${this.buffer}`);
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(
          () => reject(new Error(`timeout waiting for ${re}; have: ${this.buffer}`)),
          Math.max(deadline - Date.now(), 1),
        );
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }
  send(text: string): void {
    this.socket.write(text);
  }
  async command(tag: string, text: string): Promise<string> {
    this.send(`${tag} ${text}\r\n`);
    return this.until(new RegExp(`^${tag} (OK|NO|BAD)[^\\r\\n]*\\r\\n`, "m"));
  }
  close(): void {
    this.socket.destroy();
  }
}
