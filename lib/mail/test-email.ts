import "server-only";
import { randomUUID } from "node:crypto";
import { recordAudit } from "@/lib/audit/audit-log";
import { getEmailSettings } from "@/lib/settings/email-repository";
import { getGeneralSettings } from "@/lib/settings/general-repository";
import { runEmailChecks } from "@/lib/mail/check-runner";
import { expectedChecks } from "@/lib/mail/expected-checks";
import { cancelRequested, finishTestRun, listTestRuns, startTestRun } from "@/lib/mail/test-run-repository";
import { claimTestEmailRun } from "@/lib/mail/test-email-limit";
import type { TlsExtras } from "@/lib/mail/connection";
import type { EmailTestRunView, TestRunEvent } from "@/lib/mail/client-safe/types";
import { countTestChecks } from "@/lib/metrics/check-counts";

/** How often the instance running a test looks for Cancel (clicked on any instance). */
const CANCEL_POLL_MS = 300;

/**
 * The whole Test Email Configuration after the guard: read what is SAVED, store the run as running,
 * run the checks (each card told to `emit` as soon as it is final), stop when Cancel marks the run in
 * the database, store the run (last 20), audit it, return it with the history. The benchmark times this.
 */
export async function testEmailConfiguration(
  admin: { id: string; email: string; name?: string | null },
  options: { tls?: TlsExtras; to?: string; emit?: (event: TestRunEvent) => void } = {},
): Promise<{ run: EmailTestRunView; history: EmailTestRunView[] }> {
  await claimTestEmailRun(admin.id); // real mail: at most 10 runs a minute per admin (refused with a message)
  const emit = options.emit ?? (() => {});
  const to = options.to ?? admin.email;
  const [settings, general] = await Promise.all([getEmailSettings(), getGeneralSettings()]);
  const id = randomUUID();
  const runId = id.slice(0, 8);
  await startTestRun({ id, userId: admin.id, userEmail: admin.email });
  emit({ type: "started", runId: id, to, checks: expectedChecks(settings) });

  const cancel = new AbortController();
  const poll = setInterval(() => {
    cancelRequested(id).then(
      (yes) => yes && cancel.abort(),
      () => {}, // the next poll tries again; the run itself reports a database failure
    );
  }, CANCEL_POLL_MS);
  let result: Awaited<ReturnType<typeof runEmailChecks>>;
  try {
    result = await runEmailChecks({
      settings,
      admin,
      to,
      runId,
      serverBaseUrl: general.serverBaseUrl,
      tls: options.tls,
      signal: cancel.signal,
      onCard: (card) => emit({ type: "card", card }),
      onPhase: (progress) => emit({ type: "phase", ...progress }),
    });
  } finally {
    clearInterval(poll);
  }
  const cancelled = cancel.signal.aborted;
  countTestChecks(settings, result.cards);
  const run = await finishTestRun({ id, ok: result.ok, durationMs: result.durationMs, cards: result.cards, cancelled });
  const [history] = await Promise.all([
    listTestRuns(),
    recordAudit(admin, {
      action: "settings.email.tested",
      target: "Email Settings",
      details: {
        run: runId,
        ok: run.ok,
        checks: result.cards.length,
        ...(cancelled ? { cancelled: true } : {}),
        ...(to === admin.email ? {} : { to }),
        failed: result.cards.filter((c) => !c.ok).map((c) => c.id),
        ms: result.durationMs,
      },
    }),
  ]);
  emit({ type: "done", run, history });
  return { run, history };
}
