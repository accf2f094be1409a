/**
 * A tiny HTTP CONNECT proxy for tests (what an operator's outbound proxy does for HTTPS): it opens a
 * TCP tunnel to the requested host:port and records each tunnel's target. `refuse`: answers 403.
 */
import http from "node:http";
import net from "node:net";

export type ConnectProxy = {
  url: string;
  /** host:port of every tunnel opened, in order. */
  tunnels: string[];
  refuse: boolean;
  close: () => Promise<void>;
};

export async function startConnectProxy(): Promise<ConnectProxy> {
  const sockets = new Set<net.Socket>();
  const server = http.createServer((_req, res) => res.writeHead(405).end());
  const proxy: ConnectProxy = { url: "", tunnels: [], refuse: false, close: async () => undefined };
  server.on("connect", (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    sockets.add(client);
    const target = req.url ?? "";
    if (proxy.refuse) {
      client.end("HTTP/1.1 403 Forbidden\r\n\r\n");
      return;
    }
    proxy.tunnels.push(target);
    const colon = target.lastIndexOf(":");
    const host = target.slice(0, colon).replace(/^\[|\]$/g, "");
    const upstream = net.connect(Number(target.slice(colon + 1)), host, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on("error", () => client.end("HTTP/1.1 502 Bad Gateway\r\n\r\n"));
    client.on("error", () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return proxy;
}
