import { describe, expect, it } from "vitest";
import { settingChanges } from "@/lib/audit/setting-changes";

describe("settingChanges", () => {
  it("records old → new for listed fields only, never anything else (secrets)", () => {
    const before = { smtpHost: "a.example", smtpPort: 587, msClientSecretEnc: "sealed-1", smtpUser: "" };
    const after = { smtpHost: "b.example", smtpPort: 587, msClientSecretEnc: "sealed-2", smtpUser: "x@y.test" };
    expect(settingChanges(before, after, ["smtpHost", "smtpPort", "smtpUser"])).toEqual({
      smtpHost: { from: "a.example", to: "b.example" },
      smtpUser: { from: "(empty)", to: "x@y.test" },
    });
  });
});
