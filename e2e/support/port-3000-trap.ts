import { appendFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { STACK } from "./stack-config";

/**
 * A listener on port 3000 (Next.js's default) for the whole browser suite: Next sends its requests to
 * itself there when a custom server does not tell it its hostname and port (sign-out's redirect, a
 * forwarded server action, with the admin's cookies). It records every request it receives
 * (e2e/internal-requests.check.ts asserts that nothing of this stack's arrived) and answers 502.
 */
export const TRAP_LOG = path.join(STACK.harnessDir, "port-3000-requests.jsonl");
export const TRAP_STATUS = path.join(STACK.harnessDir, "port-3000-trap.txt");

export function startPort3000Trap(): void {
  writeFileSync(TRAP_LOG, "");
  const listening: string[] = [];
  const problems: string[] = [];
  const hosts = ["127.0.0.1", "::1"];
  let pending = hosts.length;
  const done = () => {
    pending -= 1;
    if (pending === 0) writeFileSync(TRAP_STATUS, JSON.stringify({ listening, problems }));
  };
  for (const host of hosts) {
    const server = http.createServer((req, res) => {
      appendFileSync(
        TRAP_LOG,
        `${JSON.stringify({ at: new Date().toISOString(), method: req.method, url: req.url, headers: req.headers })}\n`,
      );
      res.writeHead(502).end();
    });
    server.once("error", (error: NodeJS.ErrnoException) => {
      problems.push(`${host}: ${error.code ?? error.message}`);
      done();
    });
    server.listen(3000, host, () => {
      listening.push(host);
      done();
    });
    server.unref();
  }
}
