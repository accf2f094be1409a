"use client";
import { useRouter } from "next/navigation";
import { Banner } from "@/app/components/banner";
import { ErrorSummary } from "@/app/components/error-summary";
import { Field } from "@/app/components/field";
import { useConfirmedAction } from "@/app/components/password-prompt";
import { SaveStatus } from "@/app/components/save-status";
import { bannerOf, useActionButton } from "@/app/components/use-action-button";
import { useActionForm } from "@/app/components/use-action-form";
import {
  pauseAlertsAction,
  runChecksNowAction,
  saveMonitoringSettingsAction,
  sendTestEventAction,
} from "@/app/settings/status/actions";
import {
  MONITOR_INTERVAL,
  monitoringSettingsSchema,
  type MonitoringSettingsInput,
} from "@/lib/monitor/client-safe/monitoring-schema";

export function RunChecksNow() {
  const router = useRouter();
  const run = useActionButton(runChecksNowAction);
  const message = bannerOf(run.result, "Checked.");
  return (
    <div className="stack">
      <div className="actions actions-flush">
        <button
          type="button"
          className="btn btn-primary"
          disabled={run.pending}
          onClick={async () => {
            if ((await run.run({}))?.ok) router.refresh();
          }}
        >
          {run.pending ? "Checking…" : "Run checks now"}
        </button>
      </div>
      {message ? <Banner kind={message.kind}>{message.text}</Banner> : null}
    </div>
  );
}

export function PauseAlerts({ role, paused, label }: { role: "smtp" | "imap"; paused: boolean; label: string }) {
  const router = useRouter();
  const toggle = useActionButton(pauseAlertsAction);
  const message = bannerOf(toggle.result, "Saved.");
  return (
    <>
      <button
        type="button"
        className="btn btn-small"
        disabled={toggle.pending}
        aria-label={`${paused ? "Resume" : "Pause"} alerts for the ${label}`}
        onClick={async () => {
          if ((await toggle.run({ role, paused: !paused }))?.ok) router.refresh();
        }}
      >
        {paused ? "Resume alerts" : "Pause alerts"}
      </button>
      {message && message.kind === "err" ? <Banner kind="err">{message.text}</Banner> : null}
    </>
  );
}

export function SendTestEvent({ configured }: { configured: boolean }) {
  const router = useRouter();
  const send = useActionButton(sendTestEventAction);
  const message = bannerOf(send.result, "Sent.");
  return (
    <div className="stack spaced-sm">
      <div className="actions actions-flush">
        <button
          type="button"
          className="btn"
          disabled={send.pending || !configured}
          onClick={async () => {
            await send.run({});
            router.refresh();
          }}
        >
          {send.pending ? "Sending…" : "Send test event"}
        </button>
        {configured ? null : <span className="hint">Save a webhook URL and secret first.</span>}
      </div>
      {message ? <Banner kind={message.kind}>{message.text}</Banner> : null}
    </div>
  );
}

export function MonitoringForm({ initial, secretSet }: { initial: MonitoringSettingsInput; secretSet: boolean }) {
  const router = useRouter();
  const confirmed = useConfirmedAction(
    saveMonitoringSettingsAction,
    "This changes where alerts (and their signing secret) go.",
  );
  const { form, banner, summary, onSubmit } = useActionForm(monitoringSettingsSchema, confirmed.run, {
    defaultValues: initial,
    mode: "onTouched",
    onSuccess: (values, f, stored) => {
      f.reset({ ...values, webhookSecret: "", version: stored?.version ?? Number(values.version) + 1 });
      router.refresh();
    },
  });
  const errors = form.formState.errors;
  return (
    <form onSubmit={onSubmit} noValidate aria-label="Monitoring settings">
      {confirmed.prompt}
      <ErrorSummary errors={summary.errors} attempt={summary.attempt} />
      <div className="grid">
        <Field
          id="intervalMinutes"
          label="Check every (minutes)"
          error={errors.intervalMinutes?.message}
          hint={`From ${MONITOR_INTERVAL.min} to ${MONITOR_INTERVAL.max}; default ${MONITOR_INTERVAL.default}.`}
        >
          {(a) => (
            <input
              type="number"
              min={MONITOR_INTERVAL.min}
              max={MONITOR_INTERVAL.max}
              {...a}
              {...form.register("intervalMinutes")}
            />
          )}
        </Field>
        <Field
          id="webhookUrl"
          label="Alert webhook URL (optional)"
          error={errors.webhookUrl?.message}
          hint="An https:// address that receives each alert as JSON, signed with the secret (X-Mail-Connect-Signature). Loopback, link-local and private addresses are refused."
          wide
        >
          {(a) => <input type="url" inputMode="url" spellCheck={false} {...a} {...form.register("webhookUrl")} />}
        </Field>
        <Field
          id="webhookSecret"
          label="Webhook secret"
          error={errors.webhookSecret?.message}
          hint={
            secretSet
              ? "Set (kept while the URL stays the same). Type a new one to replace it; a new URL needs it typed again."
              : "At least 16 characters; the receiver checks each alert's HMAC-SHA256 signature with it."
          }
        >
          {(a) => <input type="password" autoComplete="new-password" {...a} {...form.register("webhookSecret")} />}
        </Field>
      </div>
      <input type="hidden" {...form.register("version")} />
      <div className="actions">
        <button type="submit" className="btn btn-primary" disabled={form.formState.isSubmitting}>
          {form.formState.isSubmitting ? "Saving…" : "Save monitoring settings"}
        </button>
        <SaveStatus banner={banner} />
      </div>
    </form>
  );
}
