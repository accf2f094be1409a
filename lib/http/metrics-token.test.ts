import { describe, expect, it } from "vitest";
import { hasMetricsToken, metricsTokenConfigured } from "@/lib/http/metrics-token";

const headers = (authorization?: string) => new Headers(authorization ? { authorization } : {});

describe("the metrics bearer token (METRICS_TOKEN)", () => {
  const env = { METRICS_TOKEN: "s3cret-token-value" };
  it("accepts exactly the configured token as a bearer token", () => {
    expect(hasMetricsToken(headers("Bearer s3cret-token-value"), env)).toBe(true);
    expect(hasMetricsToken(headers("bearer s3cret-token-value"), env)).toBe(true);
    expect(hasMetricsToken(headers("Bearer s3cret-token-valuE"), env)).toBe(false);
    expect(hasMetricsToken(headers("Bearer s3cret"), env)).toBe(false);
    expect(hasMetricsToken(headers("Basic s3cret-token-value"), env)).toBe(false);
    expect(hasMetricsToken(headers(), env)).toBe(false);
  });

  it("unset or blank: nothing is accepted, and the endpoints are off", () => {
    for (const e of [{}, { METRICS_TOKEN: "" }, { METRICS_TOKEN: "  " }]) {
      expect(hasMetricsToken(headers("Bearer "), e)).toBe(false);
      expect(hasMetricsToken(headers("Bearer x"), e)).toBe(false);
      expect(metricsTokenConfigured(e)).toBe(false);
    }
    expect(metricsTokenConfigured(env)).toBe(true);
  });
});
