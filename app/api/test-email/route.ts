import { randomUUID } from "node:crypto";
import { adminRoute } from "@/lib/auth/guard";
import { DATABASE_UNAVAILABLE, isDatabaseUnavailable } from "@/lib/db/availability";
import { testEmailConfiguration } from "@/lib/mail/test-email";
import { testEmailSchema } from "@/lib/mail/client-safe/test-email-schema";
import type { TestRunEvent } from "@/lib/mail/client-safe/types";
import { logger } from "@/lib/log/logger";

const log = logger("test-email");

export const dynamic = "force-dynamic";

/** What the admin reads when the run breaks after it started (the cards so far stay on screen). */
async function brokenRun(error: unknown): Promise<string> {
  if (await isDatabaseUnavailable(error)) return DATABASE_UNAVAILABLE;
  const ref = randomUUID().slice(0, 8);
  log.error(
    { ref, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) },
    "unexpected error",
  );
  return `The test stopped: something went wrong (reference ${ref}). The server log has the details.`;
}

/**
 * POST /api/test-email (form field `to`, optional: default the signed-in admin): Test Email
 * Configuration on the saved settings, answered as NDJSON, one `TestRunEvent` a line: `started`
 * (the run id, for Cancel), `phase` as each check enters one, `card` as soon as each check is final,
 * then `done` with the stored run and the history. A route handler rather than a server action: the
 * answer is a plain stream any client (and a test) can read line by line, and Cancel is a request of
 * its own that may reach another instance. Bad input is a 400 with field errors (the guard); a
 * failure before the run starts is a JSON 500/503, after it a `failed` line.
 */
export const POST = adminRoute("testEmailConfiguration", testEmailSchema, async ({ to }, admin) => {
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const writer = writable.getWriter();
  const encoder = new TextEncoder();
  let started: () => void = () => {};
  const startedRun = new Promise<void>((resolve) => {
    started = resolve;
  });
  const emit = (event: TestRunEvent) => {
    if (event.type === "started") started();
    // A browser that went away does not stop the run: it is stored and shows in the history.
    writer.write(encoder.encode(`${JSON.stringify(event)}\n`)).catch(() => {});
  };
  const run = testEmailConfiguration(admin, { to, emit });
  // Before the run is stored, a failure is the guard's (JSON 500/503); afterwards a line of the stream.
  await Promise.race([startedRun, run]);
  run
    .catch(async (error: unknown) => emit({ type: "failed", error: await brokenRun(error) }))
    .finally(() => writer.close().catch(() => {}));
  return new Response(readable, {
    headers: {
      "content-type": "application/x-ndjson; charset=utf-8",
      "cache-control": "no-store",
      "x-accel-buffering": "no", // nginx: pass each line on as it comes
    },
  });
});
