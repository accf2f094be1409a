import "server-only";
import { randomUUID } from "node:crypto";
import { recordAudit } from "@/lib/audit/audit-log";
import { getEmailSettings } from "@/lib/settings/email-repository";
import { getGeneralSettings } from "@/lib/settings/general-repository";
import { runEmailChecks } from "@/lib/mail/check-runner";
import { claimTestEmailRun } from "@/lib/mail/test-email-limit";
import { listTestRuns, saveTestRun } from "@/lib/mail/test-run-repository";
import type { TlsExtras } from "@/lib/mail/connection";
import type { EmailTestRunView } from "@/lib/mail/client-safe/types";

/**
 * The whole Test Email Configuration action after the guard: read what is SAVED, run the checks,
 * store the run (last 20), audit it, return it with the history. The benchmark times this.
 */
export async function testEmailConfiguration(
  admin: { id: string; email: string; name?: string | null },
  options: { tls?: TlsExtras } = {},
): Promise<{ run: EmailTestRunView; history: EmailTestRunView[] }> {
  await claimTestEmailRun(admin.id); // real mail: at most 10 runs a minute per admin (refused with a message)
  const [settings, general] = await Promise.all([getEmailSettings(), getGeneralSettings()]);
  const id = randomUUID();
  const runId = id.slice(0, 8);
  const result = await runEmailChecks({
    settings,
    admin,
    runId,
    serverBaseUrl: general.serverBaseUrl,
    tls: options.tls,
  });
  const run = await saveTestRun({
    id,
    userId: admin.id,
    userEmail: admin.email,
    ok: result.ok,
    durationMs: result.durationMs,
    cards: result.cards,
  });
  const [history] = await Promise.all([
    listTestRuns(),
    recordAudit(admin, {
      action: "settings.email.tested",
      target: "Email Settings",
      details: {
        run: runId,
        ok: result.ok,
        failed: result.cards.filter((c) => !c.ok).map((c) => c.id),
        ms: result.durationMs,
      },
    }),
  ]);
  return { run, history };
}
