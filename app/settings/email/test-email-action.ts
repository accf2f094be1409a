"use server";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { adminAction } from "@/lib/auth/guard";
import { recordAudit } from "@/lib/audit/audit-log";
import { getEmailSettings } from "@/lib/settings/email-repository";
import { getGeneralSettings } from "@/lib/settings/general-repository";
import { runEmailChecks } from "@/lib/mail/check-runner";
import { listTestRuns, saveTestRun } from "@/lib/mail/test-run-repository";
import type { EmailTestRunView } from "@/lib/mail/types";

/** No input: the test always runs on what is saved (the form offers to save first). */
const testEmailInput = z.object({}).strict();

/**
 * Test Email Configuration: runs the checks on the saved settings, stores the run (last 20) and
 * returns it with the refreshed history. A failing check is a normal result (ok: true, run.ok false).
 */
export const testEmailConfigurationAction = adminAction(
  "testEmailConfiguration",
  testEmailInput,
  async (_input, admin): Promise<{ ok: true; data: { run: EmailTestRunView; history: EmailTestRunView[] } }> => {
    const [settings, general] = await Promise.all([getEmailSettings(), getGeneralSettings()]);
    const id = randomUUID();
    const runId = id.slice(0, 8);
    const result = await runEmailChecks({ settings, admin, runId, serverBaseUrl: general.serverBaseUrl });
    const run = await saveTestRun({ id, userId: admin.id, userEmail: admin.email, ok: result.ok, durationMs: result.durationMs, cards: result.cards });
    await recordAudit(admin, {
      action: "settings.email.tested",
      target: "Email Settings",
      details: { run: runId, ok: result.ok, failed: result.cards.filter((c) => !c.ok).map((c) => c.id), ms: result.durationMs },
    });
    return { ok: true, data: { run, history: await listTestRuns() } };
  },
);
