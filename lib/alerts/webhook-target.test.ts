import { afterEach, describe, expect, it } from "vitest";
import { isPublicAddress, webhookTargetProblem } from "@/lib/alerts/webhook-target";
import { signWebhook, verifyWebhook } from "@/lib/alerts/webhook-signature";

afterEach(() => {
  delete process.env.WEBHOOK_ALLOW_PRIVATE;
});

describe("webhook targets", () => {
  it("only public unicast addresses are allowed", () => {
    for (const a of [
      "127.0.0.1",
      "10.1.2.3",
      "172.16.0.1",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "::1",
      "fe80::1",
      "fd00::1",
      "::ffff:127.0.0.1",
      "::ffff:10.0.0.1",
      "224.0.0.1",
    ])
      expect(isPublicAddress(a), a).toBe(false);
    for (const a of ["8.8.8.8", "52.96.0.1", "2606:4700::1111", "::ffff:8.8.8.8"])
      expect(isPublicAddress(a), a).toBe(true);
  });

  it("every address of the name is checked: one private address among public ones is refused", async () => {
    const resolve = async () => ["52.96.0.1", "10.0.0.5"];
    expect(await webhookTargetProblem("https://hooks.example.com/x", resolve)).toMatch(/resolves to 10\.0\.0\.5/);
    expect(await webhookTargetProblem("https://hooks.example.com/x", async () => ["52.96.0.1"])).toBeNull();
    expect(await webhookTargetProblem("https://[::1]:8443/x", resolve)).toMatch(/loopback, link-local or private/);
    expect(await webhookTargetProblem("https://169.254.169.254/latest", resolve)).toMatch(/169\.254\.169\.254/);
  });

  it("https is required; an unresolvable name is refused with its code", async () => {
    expect(await webhookTargetProblem("http://hooks.example.com/x", async () => ["52.96.0.1"])).toMatch(/https:\/\//);
    const fail = async () => {
      throw Object.assign(new Error("nope"), { code: "ENOTFOUND" });
    };
    expect(await webhookTargetProblem("https://nowhere.invalid/x", fail)).toMatch(
      /could not be resolved \(ENOTFOUND\)/,
    );
  });

  it("WEBHOOK_ALLOW_PRIVATE=1 allows private targets (and plain http to them)", async () => {
    process.env.WEBHOOK_ALLOW_PRIVATE = "1";
    expect(await webhookTargetProblem("http://127.0.0.1:9/x", async () => [])).toBeNull();
  });
});

describe("webhook signatures", () => {
  it("verifies the HMAC-SHA256 of timestamp.body; refuses another secret, another body, an old timestamp", () => {
    const now = 1_800_000_000;
    const body = JSON.stringify({ type: "test" });
    const signature = signWebhook("s3cret-s3cret-s3cret", now, body);
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    const headers = { signature, timestamp: String(now) };
    expect(verifyWebhook("s3cret-s3cret-s3cret", headers, body, { nowSeconds: now })).toBe(true);
    expect(verifyWebhook("another-secret-value", headers, body, { nowSeconds: now })).toBe(false);
    expect(verifyWebhook("s3cret-s3cret-s3cret", headers, `${body} `, { nowSeconds: now })).toBe(false);
    expect(verifyWebhook("s3cret-s3cret-s3cret", headers, body, { nowSeconds: now + 301 })).toBe(false);
  });
});
