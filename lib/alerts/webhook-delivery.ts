import "server-only";
import { outboundFetch } from "@/lib/http/outbound";
import { EVENT_HEADER, SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER } from "@/lib/alerts/webhook-signature";
import { webhookTargetProblem } from "@/lib/alerts/webhook-target";

/**
 * The one function that sends an alert webhook: a signed JSON POST with the global `fetch` (so an
 * outbound proxy set up for the process routes it), retried with backoff on a network error, a timeout,
 * 429 or a 5xx; a redirect is not followed (it could lead to an address the target check refused).
 * The target is checked before every delivery. Never throws: says what happened at each attempt.
 */

export type WebhookOptions = {
  /** Waits before the 2nd, 3rd, … attempt (default 2 s, 10 s, 30 s). */
  retryDelaysMs?: number[];
  /** Per attempt (default 10 s). */
  timeoutMs?: number;
};

export type WebhookDelivery = { ok: boolean; attempts: number; detail: string };

export const DEFAULT_RETRY_DELAYS_MS = [2_000, 10_000, 30_000];

const retryable = (status: number) => status === 429 || status >= 500;

export async function deliverWebhook(
  target: { url: string; secret: string },
  event: string,
  payload: unknown,
  options: WebhookOptions = {},
): Promise<WebhookDelivery> {
  const problem = await webhookTargetProblem(target.url);
  if (problem) return { ok: false, attempts: 0, detail: `Not sent: ${problem}` };
  const body = JSON.stringify(payload);
  const delays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  const seen: string[] = [];
  for (let attempt = 1; attempt <= delays.length + 1; attempt++) {
    if (attempt > 1) await new Promise((r) => setTimeout(r, delays[attempt - 2]));
    const timestamp = Math.floor(Date.now() / 1000);
    try {
      const response = await outboundFetch(target.url, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          "User-Agent": "Mail-Connect-Alerts",
          [EVENT_HEADER]: event,
          [TIMESTAMP_HEADER]: String(timestamp),
          [SIGNATURE_HEADER]: signWebhook(target.secret, timestamp, body),
        },
        body,
        redirect: "manual",
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      await response.body?.cancel().catch(() => undefined);
      if (response.ok) {
        seen.push(`${response.status}`);
        return { ok: true, attempts: attempt, detail: `Delivered: HTTP ${seen.join(", then ")}` };
      }
      seen.push(`${response.status}`);
      if (!retryable(response.status))
        return { ok: false, attempts: attempt, detail: `Refused by the receiver: HTTP ${seen.join(", then ")}` };
    } catch (error) {
      const e = error as Error & { cause?: { code?: string } };
      seen.push(e.name === "TimeoutError" ? "timeout" : (e.cause?.code ?? e.message).slice(0, 80));
    }
  }
  return {
    ok: false,
    attempts: delays.length + 1,
    detail: `Not delivered after ${delays.length + 1} attempts: ${seen.join(", then ")}`,
  };
}
