import { beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { applyMigrations } from "@/lib/db/migrate";
import { databaseUrl } from "@/lib/db/database-url";
import { ExpectedError } from "@/lib/errors/expected-error";

let guard: typeof import("@/lib/auth/guard");

beforeAll(async () => {
  await applyMigrations(databaseUrl());
  guard = await import("@/lib/auth/guard");
});

describe("adminRoute: the guard of every route handler", () => {
  let calls = 0;
  let route: (request: Request) => Promise<Response>;

  beforeAll(() => {
    route = guard.adminRoute("test", z.object({}), async () => {
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
      { origin: "https://mail.contoso.test" }, // its own Host, but not a trusted origin (issue 11, item 3)
      { origin: "https://mail.contoso.test.evil.example" },
      {},
    ];
    for (const headers of cases) {
      const answer = await route(request("POST", headers));
      expect(answer.status).toBe(403);
      expect(await answer.text()).toContain("another site");
    }
    expect(calls).toBe(0);
  });

  it("lets trusted-origin requests reach the session check, which refuses the signed-out caller", async () => {
    // Trusted: this server's loopback origins, the Server Base URL's and APP_ORIGINS; never just "the Host it was sent to".
    const post = await route(request("POST", { origin: "https://localhost:3443" }));
    expect(post.status).toBe(401);
    const get = await route(request("GET", {}));
    expect(get.status).toBe(401);
    expect(calls).toBe(0);
  });
});

describe("publicAction: the action pipeline without a session", () => {
  const schema = z.object({ code: z.string().trim().min(1, "Enter the code") });

  it("answers the schema's messages per field and never calls the handler with bad input", async () => {
    const handler = vi.fn(async () => ({ ok: true as const }));
    const action = guard.publicAction("test", schema, handler);
    expect(await action({ code: "  " })).toEqual({
      ok: false,
      error: "Some fields need attention.",
      fieldErrors: { code: "Enter the code" },
    });
    expect(await action(null as never)).toMatchObject({ ok: false, fieldErrors: { _form: expect.any(String) } });
    expect(handler).not.toHaveBeenCalled();
  });

  it("passes the parsed input and answers the handler's result", async () => {
    const action = guard.publicAction("test", schema, async ({ code }) => ({ ok: true, data: code }));
    expect(await action({ code: " abc " })).toEqual({ ok: true, data: "abc" });
  });

  it("shows an expected error's message, and only a reference for anything else", async () => {
    const expected = guard.publicAction("test", schema, async () => {
      throw new (class StaleThing extends ExpectedError {})("Reload to see their changes.");
    });
    expect(await expected({ code: "x" })).toEqual({ ok: false, error: "Reload to see their changes." });

    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const broken = guard.publicAction("test", schema, async () => {
      throw new Error("secret detail");
    });
    const answer = await broken({ code: "x" });
    expect(answer.ok).toBe(false);
    expect(!answer.ok && answer.error).toMatch(/^Something went wrong \(reference [0-9a-f]{8}\)/);
    expect(JSON.stringify(answer)).not.toContain("secret detail");
    log.mockRestore();
  });
});

describe("prototype keys: refused in every action's and route's input, before its schema (issue 11 item 12)", () => {
  const hostile = [
    '{"__proto__":{}}',
    '{"constructor":{"prototype":{"polluted":true}}}',
    '{"prototype":1}',
    '{"code":"x","nested":[{"a":{"__proto__":{"polluted":true}}}]}',
  ];

  it("an empty strict schema no longer lets {__proto__: {}} through to the handler", async () => {
    const handler = vi.fn(async () => ({ ok: true as const }));
    const action = guard.publicAction("test", z.object({}).strict(), handler);
    for (const body of hostile) {
      expect(await action(JSON.parse(body))).toEqual({
        ok: false,
        error: "Some fields need attention.",
        fieldErrors: { _form: expect.stringMatching(/is not an accepted field name/) },
      });
    }
    expect(await action({})).toEqual({ ok: true });
    expect(handler).toHaveBeenCalledTimes(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
