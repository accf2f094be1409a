import { describe, expect, it } from "vitest";
import { ACTION_BODY_LIMIT, checkActionHeaders, checkActionJsonBody } from "@/lib/http/action-request";

const ok = {
  method: "POST",
  contentType: "text/plain;charset=UTF-8",
  contentLength: "20",
  origin: "https://localhost:3443",
  trustedOrigins: ["https://localhost:3443"],
  actionId: "7f3a9c0d11",
};

describe("checkActionHeaders", () => {
  it("passes what the app's own client sends", () => {
    expect(checkActionHeaders(ok)).toBeNull();
    expect(checkActionHeaders({ ...ok, contentType: "multipart/form-data; boundary=----x" })).toBeNull();
  });
  it.each([
    ["a foreign Origin", { origin: "https://evil.test" }, 403],
    ["no Origin", { origin: undefined }, 403],
    ["GET", { method: "GET" }, 405],
    ["a malformed action id", { actionId: "../x" }, 404],
    ["an unknown action id", { knownActionIds: new Set(["aaaaaa"]) }, 404],
    ["JSON", { contentType: "application/json" }, 415],
    ["no content type", { contentType: undefined }, 415],
    ["multipart without boundary", { contentType: "multipart/form-data" }, 400],
    ["a body over 1 MB", { contentLength: String(ACTION_BODY_LIMIT + 1) }, 413],
    ["a malformed length", { contentLength: "12abc" }, 400],
  ])("refuses %s", (_name, change, status) => {
    expect(checkActionHeaders({ ...ok, ...change })?.status).toBe(status);
  });
});

describe("checkActionJsonBody", () => {
  it.each([
    ["[]"],
    ['[{"smtpHost":"smtp.office365.com","smtpPort":587,"tls":true,"note":null}]'],
    ['[{"password":"$$starts with a dollar","missing":"$undefined"}]'],
    ['[{"role":"smtp"}]'],
  ])("passes %s", (body) => {
    expect(checkActionJsonBody(body)).toBeNull();
  });
  it.each([
    ["empty", ""],
    ["truncated", '[{"role":"sm'],
    ["binary", "\u0000\u0001\u0002"],
    ["not a list", '{"role":"smtp"}'],
    ["a prototype key", '[{"__proto__":{}}]'],
    ["a nested constructor key", '[{"a":{"constructor":{"prototype":1}}}]'],
    ["a React reference", '["$1:__proto__:then"]'],
    ["a promise reference", '[{"x":"$@0"}]'],
    ["too deep", `${"[".repeat(40)}${"]".repeat(40)}`],
  ])("refuses %s", (_name, body) => {
    expect(checkActionJsonBody(body)?.status).toBe(400);
  });
});
