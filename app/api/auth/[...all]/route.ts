import { toNextJsHandler } from "better-auth/next-js";
import { auth } from "@/lib/auth/auth";
import { DATABASE_UNAVAILABLE, databaseReachable } from "@/lib/db/availability";

const handler = toNextJsHandler(auth);

/** better-auth answers 500 when its database calls fail: say why when the database is down. */
async function withDatabaseCheck(request: Request, run: (r: Request) => Promise<Response>): Promise<Response> {
  let response: Response | null = null;
  try {
    response = await run(request);
  } catch (error) {
    if (await databaseReachable()) throw error;
  }
  if (response && response.status < 500) return response;
  if (response && (await databaseReachable())) return response;
  return Response.json(
    { code: "DATABASE_UNAVAILABLE", message: DATABASE_UNAVAILABLE },
    { status: 503, headers: { "cache-control": "no-store" } },
  );
}

export const GET = (request: Request) => withDatabaseCheck(request, handler.GET);
export const POST = (request: Request) => withDatabaseCheck(request, handler.POST);
