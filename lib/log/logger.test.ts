import { describe, expect, it } from "vitest";
import { createLogger } from "@/lib/log/logger";
import { INSTANCE_ID } from "@/lib/microsoft/lease";

function capture(json: boolean) {
  const lines: string[] = [];
  const log = createLogger({ json, destination: { write: (line) => lines.push(line) } });
  return { log, lines };
}

const JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJtYWlsZXIifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ";

describe("the operational log", () => {
  it("LOG_FORMAT=json: one JSON object per line with time, level, message, instance, component and fields", () => {
    const { log, lines } = capture(true);
    log.child({ component: "relay" }).warn({ credential: "product", address: "192.0.2.7" }, "failed sign-in");
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!);
    expect(entry).toMatchObject({
      level: 40,
      msg: "failed sign-in",
      instance: INSTANCE_ID,
      component: "relay",
      credential: "product",
      address: "192.0.2.7",
    });
    expect(new Date(entry.time).toISOString()).toBe(entry.time);
  });

  it("never writes a secret: fields named like one, tokens and passwords inside messages and errors", () => {
    const { log, lines } = capture(true);
    log.info({ password: "hunter2-hunter2", settings: { clientSecret: "abc~def~ghi" }, user: "a@b.test" }, "saved");
    log.error({ err: new Error(`token endpoint said Bearer ${JWT}`) }, `refresh failed: refresh_token=0.AAAA-bbbb`);
    log.warn(`AUTH XOAUTH2 dXNlcj1hQGIudGVzdAFhdXRoPUJlYXJlciB4eHh4AQE= rejected`);
    const text = lines.join("\n");
    for (const secret of ["hunter2", "abc~def", JWT, "0.AAAA-bbbb", "dXNlcj1hQGIudGVzdAFh"]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain("a@b.test");
    expect(text).toContain("[redacted]");
    expect(lines).toHaveLength(3);
  });

  it("otherwise a readable line: time, level, [component], message, key=value fields", () => {
    const { log, lines } = capture(false);
    log.child({ component: "monitor" }).info({ mailbox: "mailer@contoso.test", protocol: "smtp", ok: false }, "check");
    expect(lines[0]).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z INFO {2}\[monitor\] check mailbox=mailer@contoso\.test protocol=smtp ok=false\n$/,
    );
  });
});
