import { beforeAll, describe, expect, it } from "vitest";
import { applyMigrations } from "@/lib/db/migrate";
import { databaseUrl } from "@/lib/db/database-url";

describe("adminRoute: the guard of every route handler", () => {
  let adminRoute: typeof import("@/lib/auth/guard").adminRoute;
  let calls = 0;
  let route: (request: Request, context: undefined) => Promise<Response>;

  beforeAll(async () => {
    await applyMigrations(databaseUrl());
    ({ adminRoute } = await import("@/lib/auth/guard"));
    route = adminRoute("test", async () => {
      calls++;
      return new Response("handled");
    });
  });

  const request = (method: string, headers: Record<string, string>) =>
    new Request("https://mail.contoso.test/api/oauth/authorize", {
      method,
      headers: { host: "mail.contoso.test", ...headers },
    });

  it("refuses a state-changing request from another origin, or without an Origin, before anything else", async () => {
    const cases: Record<string, string>[] = [
      { origin: "https://evil.example" },
      { origin: "https://mail.contoso.test.evil.example" },
      {},
    ];
    for (const headers of cases) {
      const res = await request("POST", headers).clone();
      const answer = await route(res, undefined);
      expect(answer.status).toBe(403);
      expect(await answer.text()).toContain("another site");
    }
    expect(calls).toBe(0);
  });

  it("lets same-origin requests reach the session check, which refuses the signed-out caller", async () => {
    const post = await route(request("POST", { origin: "https://mail.contoso.test" }), undefined);
    expect(post.status).toBe(401);
    const get = await route(request("GET", {}), undefined);
    expect(get.status).toBe(401);
    expect(calls).toBe(0);
  });
});
