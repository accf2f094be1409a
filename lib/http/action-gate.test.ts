import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { gateServerAction } from "@/lib/http/action-gate";
import type { ActionManifest } from "@/lib/http/action-manifest";

const ORIGIN = "https://localhost:3443";
const ID = "7fc8df5b486f3baabcc6a6e5ab7fde8000a9c55b2e";
const manifest: ActionManifest = { ids: new Set([ID]), pagesOf: (id) => (id === ID ? [/^\/setup$/] : []) };

let server: http.Server;
let port = 0;
let handled: { body: string; length: string | undefined }[] = [];

beforeAll(async () => {
  server = http.createServer(async (req, res) => {
    const checked = await gateServerAction(req, res, { trustedOrigins: [ORIGIN], manifest });
    if (!checked) return;
    // What Next would do: read the (replayed) body, then stream an answer in two parts.
    const chunks: Buffer[] = [];
    for await (const c of checked) chunks.push(c as Buffer);
    handled.push({ body: Buffer.concat(chunks).toString("utf8"), length: checked.headers["content-length"] });
    res.writeHead(200, { "content-type": "text/x-component" });
    res.write("0:first\n");
    await new Promise((r) => setTimeout(r, 300));
    res.end("1:second\n");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function post(
  body: string | Buffer,
  headers: Record<string, string> = {},
  path = "/setup",
): Promise<{ status: number; body: string; firstChunkAt: number; endAt: number; type: string }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let firstChunkAt = 0;
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        path,
        method: "POST",
        // A header given as "" is left out.
        headers: Object.fromEntries(
          Object.entries({
            "next-action": ID,
            "content-type": "text/plain;charset=UTF-8",
            origin: ORIGIN,
            ...headers,
          }).filter(([, v]) => v !== ""),
        ),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => {
          if (!firstChunkAt) firstChunkAt = Date.now() - started;
          chunks.push(c);
        });
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString("utf8"),
            firstChunkAt,
            endAt: Date.now() - started,
            type: String(res.headers["content-type"]),
          }),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

describe("gateServerAction", () => {
  it("hands a well-formed call to the app with its body intact, and does not buffer the streamed answer", async () => {
    handled = [];
    const body = JSON.stringify([{ name: "Ünïcode $$x", n: 5 }]);
    const answer = await post(body);
    expect(answer.status).toBe(200);
    expect(answer.body).toBe("0:first\n1:second\n");
    expect(handled).toEqual([{ body, length: String(Buffer.byteLength(body)) }]);
    expect(answer.firstChunkAt).toBeLessThan(answer.endAt - 200); // the first part arrived before the second was written
  });

  it("passes a multipart form body through", async () => {
    handled = [];
    const form = '--b1\r\nContent-Disposition: form-data; name="1_$ACTION_ID"\r\n\r\n\r\n--b1--\r\n';
    const answer = await post(form, { "content-type": "multipart/form-data; boundary=b1" });
    expect(answer.status).toBe(200);
    expect(handled[0]?.body).toBe(form);
  });

  it.each([
    ["a foreign Origin", "[{}]", { origin: "https://evil.test" }, "/setup", 403],
    ["no Origin", "[{}]", { origin: "" }, "/setup", 403],
    ["an unknown action id", "[{}]", { "next-action": "abcdef0123" }, "/setup", 404],
    ["a known id posted to another page", "[{}]", {}, "/sign-in", 404],
    ["a form-encoded body", "a=b", { "content-type": "application/x-www-form-urlencoded" }, "/setup", 415],
    ["a body that is not JSON", "{", {}, "/setup", 400],
    ["an empty body", "", {}, "/setup", 400],
    ["a React reference", '["$1:__proto__:then"]', {}, "/setup", 400],
    ["a prototype key", '[{"__proto__":{"isAdmin":true}}]', {}, "/setup", 400],
    ["binary, not UTF-8", Buffer.from([0x5b, 0x22, 0xc3, 0x28, 0x22, 0x5d]), {}, "/setup", 400],
    [
      "a multipart body without its boundary",
      "--x\r\nnope",
      { "content-type": "multipart/form-data; boundary=b1" },
      "/setup",
      400,
    ],
    ["a body over 1 MB", JSON.stringify(["x".repeat(1_100_000)]), {}, "/setup", 413],
  ])("answers %s with a short JSON error and one log line", async (_name, body, headers, path, status) => {
    handled = [];
    const warn = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const answer = await post(body, headers, path);
    const lines = warn.mock.calls.filter(([chunk]) => String(chunk).includes("server action refused")).length;
    warn.mockRestore();
    expect(answer.status).toBe(status);
    expect(answer.type).toBe("application/json");
    expect(Object.keys(JSON.parse(answer.body))).toEqual(["error"]);
    expect(lines).toBe(1);
    expect(handled).toEqual([]);
  });
});
