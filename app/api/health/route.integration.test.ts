import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations } from "@/lib/db/migrate";
import { databaseUrl } from "@/lib/db/database-url";
import packageJson from "@/package.json";

/** /api/health: public with the status only; the version and commit for the metrics token (or a signed-in admin). */
let GET: typeof import("@/app/api/health/route").GET;

beforeAll(async () => {
  await applyMigrations(databaseUrl());
  ({ GET } = await import("@/app/api/health/route"));
});

afterEach(() => {
  delete process.env.METRICS_TOKEN;
  delete process.env.MAIL_CONNECT_COMMIT;
});

const get = (headers: Record<string, string> = {}) =>
  GET(new Request("https://mail.contoso.test/api/health", { headers }));

describe("/api/health", () => {
  it("public: status only, no version", async () => {
    const res = await get();
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, database: "ok", migrations: "current" });
  });

  it("with the metrics bearer token: the version and commit too; a wrong token gets the status only", async () => {
    process.env.METRICS_TOKEN = "health-token-1234";
    process.env.MAIL_CONNECT_COMMIT = "1a2b3c4";
    const res = await get({ authorization: "Bearer health-token-1234" });
    expect(await res.json()).toEqual({
      ok: true,
      database: "ok",
      migrations: "current",
      version: packageJson.version,
      commit: "1a2b3c4",
    });
    expect(await (await get({ authorization: "Bearer wrong" })).json()).not.toHaveProperty("version");
  });
});
