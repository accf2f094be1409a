import { currentAdmin } from "@/lib/auth/session";
import { hasMetricsToken } from "@/lib/http/metrics-token";
import { buildInfo } from "@/lib/runtime/build-info";
import { readHealth } from "@/lib/runtime/health";

export const dynamic = "force-dynamic";

/**
 * Liveness/readiness for load balancers: public, status only, no secrets; 503 with the reason when not
 * ready. A signed-in administrator, or a request with the metrics bearer token (METRICS_TOKEN), also
 * gets the running version and commit.
 */
export async function GET(request: Request) {
  const health = await readHealth();
  const body = (await mayReadBuild(request)) ? { ...health, ...buildInfo() } : health;
  return Response.json(body, { status: health.ok ? 200 : 503, headers: { "cache-control": "no-store" } });
}

async function mayReadBuild(request: Request): Promise<boolean> {
  if (hasMetricsToken(request.headers)) return true;
  try {
    return (await currentAdmin(request.headers)) !== null;
  } catch {
    return false; // database unavailable: status only
  }
}
