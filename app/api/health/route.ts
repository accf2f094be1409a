import { readHealth } from "@/lib/runtime/health";

export const dynamic = "force-dynamic";

/** Liveness/readiness for load balancers: public, no secrets. 503 with the reason when not ready. */
export async function GET() {
  const health = await readHealth();
  return Response.json(health, { status: health.ok ? 200 : 503, headers: { "cache-control": "no-store" } });
}
