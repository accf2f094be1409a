import { describe, expect, it } from "vitest";
import { requestInput } from "@/lib/auth/request-input";

describe("requestInput: what a route's schema parses", () => {
  it("reads the query of a GET, first value of a repeated name", async () => {
    const input = await requestInput(new Request("https://x.test/cb?code=a&state=s&code=b"));
    expect(input).toEqual({ code: "a", state: "s" });
  });

  it("reads the form of a POST, and an empty object when the body is not a form", async () => {
    const form = new Request("https://x.test/authorize", {
      method: "POST",
      body: new URLSearchParams([
        ["role", "smtp"],
        ["__proto__", "x"],
      ]),
    });
    const input = await requestInput(form);
    expect(input.role).toBe("smtp");
    expect(Object.hasOwn(input, "__proto__")).toBe(true); // a field, not the object's prototype
    expect(Object.getPrototypeOf(input)).toBe(Object.prototype);
    const json = new Request("https://x.test/authorize", { method: "POST", body: "{}" });
    expect(await requestInput(json)).toEqual({});
  });
});
