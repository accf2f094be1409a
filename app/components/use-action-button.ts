"use client";
import { useCallback, useRef, useState } from "react";
import type { ActionResult } from "@/lib/auth/client-safe/action-result";

/** A result as its banner: the action's message (or `okText`) when it worked, its error otherwise. */
export type BannerMessage = { kind: "ok" | "err"; text: string };

export function bannerOf(result: ActionResult<unknown> | null, okText: string): BannerMessage | null {
  if (!result) return null;
  return result.ok ? { kind: "ok", text: result.message ?? okText } : { kind: "err", text: result.error };
}

export const SERVER_UNREACHABLE = "The server did not answer. Check your connection and try again.";

/**
 * A button that runs a server action: one run at a time, `pending` while it runs, then its `result`
 * (cleared when the next run starts). A call the server never answers is a failed result, not a throw.
 */
export function useActionButton<I, R>(
  action: (input: I) => Promise<ActionResult<R>>,
  { unreachable = SERVER_UNREACHABLE }: { unreachable?: string } = {},
) {
  const [pending, setPending] = useState(false);
  const [result, setResult] = useState<ActionResult<R> | null>(null);
  const running = useRef(false);
  const run = useCallback(
    async (input: I): Promise<ActionResult<R> | null> => {
      if (running.current) return null;
      running.current = true;
      setPending(true);
      setResult(null);
      let answer: ActionResult<R>;
      try {
        answer = await action(input);
      } catch {
        answer = { ok: false, error: unreachable };
      }
      running.current = false;
      setPending(false);
      setResult(answer);
      return answer;
    },
    [action, unreachable],
  );
  return { run, pending, result };
}
