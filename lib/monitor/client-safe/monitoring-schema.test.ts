import { describe, expect, it } from "vitest";
import { monitoringSettingsSchema, pauseAlertsSchema } from "@/lib/monitor/client-safe/monitoring-schema";

const valid = { intervalMinutes: "15", webhookUrl: "", webhookSecret: "", version: "0" };
const errorOf = (input: unknown) => {
  const r = monitoringSettingsSchema.safeParse(input);
  return r.success ? null : Object.fromEntries(r.error.issues.map((i) => [i.path.join("."), i.message]));
};

describe("the Monitoring settings schema", () => {
  it("takes an interval from 5 to 1440 minutes and an optional http(s) URL", () => {
    expect(monitoringSettingsSchema.parse(valid)).toEqual({
      intervalMinutes: 15,
      webhookUrl: "",
      webhookSecret: "",
      version: 0,
    });
    expect(monitoringSettingsSchema.parse({ ...valid, webhookUrl: " https://hooks.example.com/x " }).webhookUrl).toBe(
      "https://hooks.example.com/x",
    );
    expect(errorOf({ ...valid, intervalMinutes: "4" })).toEqual({
      intervalMinutes: "Check interval must be a whole number from 5 to 1440",
    });
    expect(errorOf({ ...valid, intervalMinutes: "1441" })).not.toBeNull();
  });

  it("a value that is no URL is a field error (never a thrown TypeError)", () => {
    for (const webhookUrl of [
      "<script>alert(1)</script>",
      "\u202e\u0301😀",
      "hooks.example.com",
      "ftp://x.example.com/",
      "https://",
    ])
      expect(errorOf({ ...valid, webhookUrl }), webhookUrl).toHaveProperty("webhookUrl");
    expect(errorOf({ ...valid, webhookUrl: "https://user:pw@hooks.example.com/" })).toEqual({
      webhookUrl: "Webhook URL must not contain a user name or password (the secret signs each request)",
    });
  });

  it("refuses unknown keys; pausing takes a known role and a boolean", () => {
    expect(errorOf({ ...valid, isAdmin: true })).not.toBeNull();
    expect(pauseAlertsSchema.safeParse({ role: "pop3", paused: true }).success).toBe(false);
    expect(pauseAlertsSchema.safeParse({ role: "imap", paused: "yes" }).success).toBe(false);
    expect(pauseAlertsSchema.parse({ role: "imap", paused: true })).toEqual({ role: "imap", paused: true });
  });
});
