"use server";
import { revalidatePath } from "next/cache";
import { adminAction } from "@/lib/auth/guard";
import type { ActionResult } from "@/lib/auth/client-safe/action-result";
import { confirmationNeeded, confirmedRecently } from "@/lib/auth/password-confirmation";
import { recordAudit } from "@/lib/audit/audit-log";
import { pageLink } from "@/lib/alerts/alert-events";
import { raiseAlert } from "@/lib/alerts/raise-alert";
import { webhookTargetProblem } from "@/lib/alerts/webhook-target";
import { LeaseBusyError } from "@/lib/microsoft/lease";
import { ROLE_LABELS } from "@/lib/microsoft/client-safe/mail-roles";
import {
  monitoringSettingsSchema,
  noInputSchema,
  pauseAlertsSchema,
} from "@/lib/monitor/client-safe/monitoring-schema";
import { setAlertsPaused } from "@/lib/monitor/health-repository";
import {
  getMonitorSettings,
  readWebhookTarget,
  saveMonitorSettings,
  WebhookSecretError,
} from "@/lib/monitor/monitor-settings-repository";
import { runMonitor } from "@/lib/monitor/run-monitor";
import { getGeneralSettings } from "@/lib/settings/general-repository";

/** The Status page's changes, each audited; pointing alerts at another webhook asks for the password again. */

export const saveMonitoringSettingsAction = adminAction(
  "saveMonitoringSettings",
  monitoringSettingsSchema,
  async (values, admin): Promise<ActionResult<{ version: number }>> => {
    const before = await getMonitorSettings();
    const moved = (before.webhookUrl ?? "") !== values.webhookUrl;
    if (values.webhookUrl) {
      const problem = await webhookTargetProblem(values.webhookUrl);
      if (problem) return { ok: false, error: "Some fields need attention.", fieldErrors: { webhookUrl: problem } };
    }
    if ((moved && values.webhookUrl) || values.webhookSecret) {
      if (!(await confirmedRecently(admin))) return confirmationNeeded();
    }
    let saved: Awaited<ReturnType<typeof saveMonitorSettings>>;
    try {
      saved = await saveMonitorSettings(values, admin.email);
    } catch (error) {
      if (error instanceof WebhookSecretError)
        return { ok: false, error: "Some fields need attention.", fieldErrors: { webhookSecret: error.message } };
      throw error;
    }
    await recordAudit(admin, {
      action: "monitor.settings_saved",
      target: "Monitoring",
      details: {
        changed: saved.changed,
        intervalMinutes: values.intervalMinutes,
        webhookUrl: values.webhookUrl || null,
        secret: saved.secret,
      },
    });
    revalidatePath("/settings/status");
    return {
      ok: true,
      message: saved.changed.length ? "Monitoring settings saved." : "Saved (nothing had changed).",
      data: { version: values.version + 1 },
    };
  },
);

export const runChecksNowAction = adminAction("runChecksNow", noInputSchema, async (_input, admin) => {
  let report: Awaited<ReturnType<typeof runMonitor>>;
  try {
    report = await runMonitor();
  } catch (error) {
    if (error instanceof LeaseBusyError)
      return {
        ok: false,
        error: "A run of the checks is in progress (on this or another instance): try again in a moment.",
      };
    throw error;
  }
  await recordAudit(admin, {
    action: "monitor.run_now",
    target: "Status",
    details: { results: report.results.map((r) => ({ role: r.role, mailbox: r.mailbox, ok: r.ok })) },
  });
  revalidatePath("/settings", "layout");
  const failing = report.results.filter((r) => !r.ok);
  if (report.results.length === 0) return { ok: true, message: "Nothing to check: no mailbox is configured yet." };
  return {
    ok: true,
    message: failing.length
      ? `Checked: ${failing.map((f) => `${ROLE_LABELS[f.role].title} fails`).join(", ")}.`
      : `Checked: ${report.results.length === 1 ? "the mailbox works" : "every mailbox works"}.`,
  };
});

export const pauseAlertsAction = adminAction("pauseAlerts", pauseAlertsSchema, async ({ role, paused }, admin) => {
  const changed = await setAlertsPaused(role, paused);
  if (!changed)
    return {
      ok: false,
      error: paused ? "Alerts are already paused (or the mailbox was not checked yet)." : "Alerts are not paused.",
    };
  await recordAudit(admin, { action: paused ? "monitor.alerts_paused" : "monitor.alerts_resumed", target: role });
  revalidatePath("/settings/status");
  return {
    ok: true,
    message: paused
      ? `Alerts paused for the ${ROLE_LABELS[role].title}: checks go on, nothing is sent.`
      : `Alerts resumed for the ${ROLE_LABELS[role].title}.`,
  };
});

export const sendTestEventAction = adminAction("sendTestEvent", noInputSchema, async (_input, admin) => {
  if (!(await readWebhookTarget()))
    return { ok: false, error: "No webhook is configured: save a URL and a secret first." };
  const { serverBaseUrl } = await getGeneralSettings();
  const alert = await raiseAlert(
    {
      kind: "test",
      target: "webhook",
      title: "test event",
      summary: `A test event sent by ${admin.email} from the Status page.`,
      link: pageLink(serverBaseUrl, "/settings/status", "the Status page"),
    },
    { channels: ["webhook"], webhook: { retryDelaysMs: [] } },
  );
  await recordAudit(admin, {
    action: "monitor.test_event_sent",
    target: "webhook",
    details: { ok: alert.webhook?.ok ?? false, detail: alert.webhook?.detail ?? null },
  });
  revalidatePath("/settings/status");
  return alert.webhook?.ok
    ? { ok: true, message: `Test event delivered (${alert.webhook.detail}).` }
    : { ok: false, error: `Test event not delivered: ${alert.webhook?.detail ?? "no webhook"}` };
});
