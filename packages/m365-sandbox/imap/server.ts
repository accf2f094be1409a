import { createServer, type Server } from "node:tls";
import type { SandboxContext } from "../context";
import { ImapSession } from "./session";

/** IMAP over implicit TLS, like outlook.office365.com:993. */
export function createImapServer(ctx: SandboxContext): Server {
  const server = createServer({ key: ctx.tls.serverKey, cert: ctx.tls.serverCert }, (socket) => {
    socket.setNoDelay(true);
    const session = new ImapSession(ctx, socket);
    void session.start();
  });
  server.on("tlsClientError", () => {
    // a client that does not trust the sandbox CA drops the handshake; nothing to do
  });
  return server;
}
