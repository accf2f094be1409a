"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import type { ActionResult } from "@/lib/auth/client-safe/action-result";
import type { TwoFactorEnrolment } from "@/lib/auth/client-safe/two-factor-schema";
import { Field } from "@/app/components/field";
import { Banner } from "@/app/components/banner";
import { CopyButton } from "@/app/components/copy-button";
import { useActionButton } from "@/app/components/use-action-button";
import {
  confirmTwoFactorEnrolmentAction,
  disableTwoFactorAction,
  startTwoFactorEnrolmentAction,
} from "@/app/settings/two-factor/actions";

function errorOf(result: ActionResult<unknown> | null, field: string): string | undefined {
  return result && !result.ok ? result.fieldErrors?.[field] : undefined;
}

function FormBanner({ result }: { result: ActionResult<unknown> | null }) {
  if (!result) return null;
  return result.ok ? <Banner kind="ok">{result.message}</Banner> : <Banner kind="err">{result.error}</Banner>;
}

/**
 * The page's one client panel, so that its state outlives the re-render that follows enrolment (the
 * library renews the session cookie, which refreshes the page): enrolment (password → QR code and secret
 * → a first code → the ten backup codes, shown once), or, once on, turning it off.
 */
export function TwoFactorPanel({ enabled, canDisable }: { enabled: boolean; canDisable: boolean }) {
  const [code, setCode] = useState("");
  const [enrolment, setEnrolment] = useState<TwoFactorEnrolment | null>(null);
  const confirm = useActionButton(confirmTwoFactorEnrolmentAction);

  if (enabled) {
    return (
      <>
        {confirm.result?.ok ? <Banner kind="ok">{confirm.result.message}</Banner> : null}
        {canDisable ? (
          <TwoFactorDisable />
        ) : (
          <p className="hint">It is required for every administrator, so it cannot be turned off here.</p>
        )}
      </>
    );
  }

  if (enrolment) {
    return (
      <form
        className="panel"
        aria-label="Confirm two-factor sign-in"
        noValidate
        onSubmit={async (event) => {
          event.preventDefault();
          await confirm.run({ code });
        }}
      >
        <h2>Scan the QR code</h2>
        <p className="hint">
          In your authenticator app (Microsoft Authenticator, Google Authenticator, 1Password, …) add an account with
          this QR code, or type the secret by hand.
        </p>
        {/* biome-ignore lint/performance/noImgElement: a data: URL made on the server, not an optimisable asset */}
        <img
          className="qr-code"
          src={enrolment.qrDataUrl}
          alt="QR code for your authenticator app"
          width={200}
          height={200}
        />
        <p>
          Secret:{" "}
          <code className="code" data-testid="totp-secret">
            {enrolment.secret}
          </code>
        </p>
        <h3 id="backup-codes-title">Save your backup codes</h3>
        <p className="hint">
          Each code signs you in once if you lose your phone. Store them somewhere safe now: they are shown only this
          once.
        </p>
        <ol className="backup-codes code" data-testid="backup-codes" aria-labelledby="backup-codes-title">
          {enrolment.backupCodes.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ol>
        <div className="actions actions-tight">
          <CopyButton text={enrolment.backupCodes.join("\n")} label="Copy backup codes" />
        </div>
        <h3>Confirm with a first code</h3>
        <FormBanner result={confirm.result?.ok ? null : confirm.result} />
        <Field
          id="code"
          label="Code from the app"
          hint="The 6-digit code the app shows now."
          error={errorOf(confirm.result, "code")}
        >
          {(a) => (
            <input
              {...a}
              inputMode="numeric"
              autoComplete="one-time-code"
              value={code}
              onChange={(e) => setCode(e.target.value)}
            />
          )}
        </Field>
        <div className="actions">
          <button type="submit" className="btn btn-primary" disabled={confirm.pending}>
            {confirm.pending ? "Checking…" : "Turn on two-factor sign-in"}
          </button>
        </div>
      </form>
    );
  }

  return (
    <PasswordPanel
      title="Set up two-factor sign-in"
      hint="After your password, signing in will also ask for a code from an authenticator app."
      fieldId="password"
      submit="Set up two-factor sign-in"
      busy="Starting…"
      primary
      action={startTwoFactorEnrolmentAction}
      onDone={(result) => {
        if (result.ok && result.data) setEnrolment(result.data);
      }}
    />
  );
}

/** Turning two-factor off asks the password again. */
function TwoFactorDisable() {
  const router = useRouter();
  return (
    <PasswordPanel
      title="Turn off two-factor sign-in"
      fieldId="disable-password"
      submit="Turn off two-factor sign-in"
      busy="Turning off…"
      action={disableTwoFactorAction}
      onDone={(result) => {
        if (result.ok) router.refresh();
      }}
    />
  );
}

/** A panel that asks the administrator's password and runs one action with it (setting up, turning off). */
function PasswordPanel<R>({
  title,
  hint,
  fieldId,
  submit,
  busy,
  primary = false,
  action,
  onDone,
}: {
  title: string;
  hint?: string;
  fieldId: string;
  submit: string;
  busy: string;
  primary?: boolean;
  action: (input: { password: string }) => Promise<ActionResult<R>>;
  onDone: (result: ActionResult<R>) => void;
}) {
  const [password, setPassword] = useState("");
  const run = useActionButton(action);
  return (
    <form
      className="panel"
      aria-label={title}
      noValidate
      onSubmit={async (event) => {
        event.preventDefault();
        const result = await run.run({ password });
        if (result) onDone(result);
      }}
    >
      <h2>{title}</h2>
      {hint ? <p className="hint">{hint}</p> : null}
      <FormBanner result={run.result} />
      <Field id={fieldId} label="Your password" error={errorOf(run.result, "password")}>
        {(a) => (
          <input
            {...a}
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        )}
      </Field>
      <div className="actions">
        <button type="submit" className={primary ? "btn btn-primary" : "btn"} disabled={run.pending}>
          {run.pending ? busy : submit}
        </button>
      </div>
    </form>
  );
}
