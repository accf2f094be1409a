"use client";
import type { TestRunEvent } from "@/lib/mail/client-safe/types";

const UNREACHABLE = "The test could not be started: the server did not answer. Check your connection and try again.";
const CUT_OFF =
  "The connection to the server was lost during the test. The run goes on on the server: reload the page to see it in the history.";

/**
 * Starts Test Email Configuration (POST /api/test-email) and hands each NDJSON line to `onEvent` as
 * it arrives. `finished`: the run ended (done or failed after it started); `error`: what to show when
 * it could not start or the answer was cut off.
 */
export async function readTestRun(
  to: string | undefined,
  onEvent: (event: TestRunEvent) => void,
): Promise<{ finished: boolean; error: string | null }> {
  const body = new FormData();
  if (to) body.set("to", to);
  let res: Response;
  try {
    res = await fetch("/api/test-email", { method: "POST", body, headers: { accept: "application/x-ndjson" } });
  } catch {
    return { finished: false, error: UNREACHABLE };
  }
  if (!res.ok || !res.body) {
    const answer = (await res.json().catch(() => null)) as {
      error?: string;
      fieldErrors?: Record<string, string>;
    } | null;
    const field = answer?.fieldErrors ? Object.values(answer.fieldErrors)[0] : undefined;
    return { finished: false, error: field ?? answer?.error ?? `The test could not be started (HTTP ${res.status}).` };
  }
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  let ended = false;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffered += value;
      let newline = buffered.indexOf("\n");
      while (newline >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (line) {
          const event = JSON.parse(line) as TestRunEvent;
          if (event.type === "done" || event.type === "failed") ended = true;
          onEvent(event);
        }
        newline = buffered.indexOf("\n");
      }
    }
  } catch {
    return { finished: ended, error: ended ? null : CUT_OFF };
  }
  return { finished: true, error: ended ? null : CUT_OFF };
}
