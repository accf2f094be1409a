import { hasMetricsToken, metricsTokenConfigured } from "@/lib/http/metrics-token";
import { metrics } from "@/lib/metrics/metrics";
import { readDatabaseGauges } from "@/lib/metrics/database-gauges";
import { logger } from "@/lib/log/logger";

export const dynamic = "force-dynamic";

const log = logger("metrics");

/**
 * Prometheus metrics of this instance (text exposition format). Public route protected by its own
 * bearer token: METRICS_TOKEN unset → 404; a missing or wrong token → 401.
 */
export async function GET(request: Request) {
  if (!metricsTokenConfigured()) return Response.json({ error: "Not found." }, { status: 404 });
  if (!hasMetricsToken(request.headers)) {
    return Response.json(
      { error: "A valid bearer token (METRICS_TOKEN) is required." },
      { status: 401, headers: { "www-authenticate": 'Bearer realm="metrics"', "cache-control": "no-store" } },
    );
  }
  try {
    await readDatabaseGauges();
  } catch (error) {
    // the counters are still worth scraping; the gauges keep their last values
    log.warn({ error: error instanceof Error ? error.message : String(error) }, "could not read the gauges");
  }
  const { registry } = metrics();
  return new Response(await registry.metrics(), {
    headers: { "content-type": registry.contentType, "cache-control": "no-store" },
  });
}
