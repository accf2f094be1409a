import http from "node:http";
import type { AddressInfo } from "node:net";

/** A webhook receiver for tests (port 0): records each request; answers the statuses queued, then 200. */
export type ReceivedHook = { headers: http.IncomingHttpHeaders; body: string };

export async function startWebhookReceiver() {
  const received: ReceivedHook[] = [];
  const statuses: number[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => {
      body += c;
    });
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.writeHead(statuses.shift() ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/mail-connect`,
    port,
    received,
    /** The next answers (e.g. 503, 503: the third attempt gets 200). */
    answer: (...s: number[]) => statuses.push(...s),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
