import https from "node:https";

export type RawAnswer = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

/** One HTTPS request with exactly the given headers (Host included), to the app's port on localhost. */
export function rawRequest(
  port: number,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: "localhost",
        port,
        method: options.method ?? "GET",
        path: options.path,
        headers: options.headers,
        rejectUnauthorized: false, // the stack's self-signed certificate
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }),
        );
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}
