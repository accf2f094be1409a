"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { Banner } from "@/app/components/banner";
import { Field } from "@/app/components/field";
import { useConfirmedAction } from "@/app/components/password-prompt";
import { bannerOf, useActionButton } from "@/app/components/use-action-button";
import {
  createRelayCredentialAction,
  revokeRelayCredentialAction,
  rotateRelayCredentialAction,
  setRelayEnabledAction,
} from "@/app/settings/relay/actions";
import { RELAY_DEFAULTS } from "@/lib/relay/client-safe/limits";
import type { ActionResult } from "@/lib/auth/client-safe/action-result";
import styles from "@/app/settings/relay/relay.module.css";
import { Copyable, ListenerSwitch } from "@/app/settings/relay/listener-switch";

type Secret = { name: string; secret: string };

export function RelaySwitch({ enabled }: { enabled: boolean }) {
  return <ListenerSwitch enabled={enabled} action={setRelayEnabledAction} name="the relay" testId="relay-state" />;
}

export function SettingsToPaste({ host, port, userHint }: { host: string; port: number; userHint: string | null }) {
  return (
    <dl className={styles.paste} data-testid="relay-settings">
      <dt>SMTP host</dt>
      <dd>
        <Copyable value={host} label="Copy SMTP host" testId="relay-host" />
      </dd>
      <dt>Port</dt>
      <dd>
        <Copyable value={String(port)} label="Copy port" testId="relay-port" />
      </dd>
      <dt>Security</dt>
      <dd>
        <Copyable value="STARTTLS" label="Copy security" />
        <span className="hint"> (plain connection upgraded with STARTTLS; not implicit TLS)</span>
      </dd>
      <dt>User name</dt>
      <dd>
        {userHint ? (
          <Copyable value={userHint} label="Copy user name" />
        ) : (
          <span className="hint">A credential&apos;s name</span>
        )}
      </dd>
      <dt>Password</dt>
      <dd className="hint">
        The credential&apos;s password, shown once when it is created or rotated (AUTH PLAIN or LOGIN).
      </dd>
      {port === RELAY_DEFAULTS.port ? null : (
        <dd className="hint">This port comes from RELAY_SMTP_PORT (default {RELAY_DEFAULTS.port}).</dd>
      )}
    </dl>
  );
}

function ShownOnce({ secret }: { secret: Secret }) {
  return (
    <div className="spaced-sm" data-testid="relay-secret">
      <Banner kind="ok">
        Password for <strong>{secret.name}</strong> (shown only once, copy it now):{" "}
        <Copyable value={secret.secret} label={`Copy the password of ${secret.name}`} testId="relay-secret-value" />
      </Banner>
    </div>
  );
}

function secretOf(result: ActionResult<Secret> | null): Secret | null {
  return result?.ok && result.data ? result.data : null;
}

export function CredentialForm({ defaultFrom }: { defaultFrom: string }) {
  const router = useRouter();
  const [values, setValues] = useState({ name: "", allowedFrom: defaultFrom, allowedCidrs: "", ratePerMinute: "30" });
  const confirmed = useConfirmedAction(createRelayCredentialAction);
  const create = useActionButton(confirmed.run);
  const errors = create.result && !create.result.ok ? (create.result.fieldErrors ?? {}) : {};
  const secret = secretOf(create.result);
  const message = bannerOf(create.result, "Created.");
  const set = (k: keyof typeof values) => (e: { target: { value: string } }) =>
    setValues((v) => ({ ...v, [k]: e.target.value }));
  return (
    <form
      aria-label="New relay credential"
      onSubmit={async (e) => {
        e.preventDefault();
        const r = await create.run(values);
        if (r?.ok) {
          setValues((v) => ({ ...v, name: "" }));
          router.refresh();
        }
      }}
    >
      {confirmed.prompt}
      <div className="grid">
        <Field id="relay-name" label="Name (the SMTP user name)" error={errors.name} hint="e.g. flexdeploy, printer-2">
          {(a) => <input {...a} type="text" value={values.name} onChange={set("name")} autoComplete="off" />}
        </Field>
        <Field
          id="relay-rate"
          label="Messages per minute"
          error={errors.ratePerMinute}
          hint="At most 30 (Exchange's limit)"
        >
          {(a) => (
            <input {...a} type="number" min={1} max={30} value={values.ratePerMinute} onChange={set("ratePerMinute")} />
          )}
        </Field>
        <Field
          id="relay-from"
          label="Allowed From addresses"
          error={errors.allowedFrom}
          hint="One per line: the SMTP user, and shared mailboxes it may send as. Checked on MAIL FROM, From: and Sender:."
          wide
        >
          {(a) => (
            <textarea
              {...a}
              className={styles.list}
              rows={2}
              value={values.allowedFrom}
              onChange={set("allowedFrom")}
            />
          )}
        </Field>
        <Field
          id="relay-cidrs"
          label="Allowed source addresses (optional)"
          error={errors.allowedCidrs}
          hint="IP addresses or CIDRs such as 10.0.0.0/8, one per line; empty: any address."
          wide
        >
          {(a) => (
            <textarea
              {...a}
              className={styles.list}
              rows={2}
              value={values.allowedCidrs}
              onChange={set("allowedCidrs")}
            />
          )}
        </Field>
      </div>
      <div className="actions">
        <button type="submit" className="btn btn-primary" disabled={create.pending}>
          {create.pending ? "Creating…" : "Create credential"}
        </button>
      </div>
      {secret ? (
        <ShownOnce secret={secret} />
      ) : message && !message.text.startsWith("Created") ? (
        <Banner kind={message.kind}>{message.text}</Banner>
      ) : null}
    </form>
  );
}

export function CredentialActions({ id, name }: { id: string; name: string }) {
  const router = useRouter();
  const rotateConfirmed = useConfirmedAction(rotateRelayCredentialAction);
  const revokeConfirmed = useConfirmedAction(revokeRelayCredentialAction);
  const rotate = useActionButton(rotateConfirmed.run);
  const revoke = useActionButton(revokeConfirmed.run);
  const [confirming, setConfirming] = useState(false);
  const secret = secretOf(rotate.result);
  const message = bannerOf(revoke.result, "Revoked.") ?? (secret ? null : bannerOf(rotate.result, "Rotated."));
  return (
    <div className="stack">
      {rotateConfirmed.prompt}
      {revokeConfirmed.prompt}
      <div className="actions actions-tight">
        <button
          type="button"
          className="btn btn-small"
          disabled={rotate.pending}
          onClick={() => void rotate.run({ id })}
        >
          Rotate<span className="visually-hidden"> the password of {name}</span>
        </button>
        {confirming ? (
          <>
            <button
              type="button"
              className="btn btn-small"
              disabled={revoke.pending}
              onClick={async () => {
                if ((await revoke.run({ id }))?.ok) router.refresh();
              }}
            >
              Yes, revoke<span className="visually-hidden"> {name}</span>
            </button>
            <button type="button" className="btn btn-small" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </>
        ) : (
          <button type="button" className="btn btn-small" onClick={() => setConfirming(true)}>
            Revoke<span className="visually-hidden"> {name}</span>
          </button>
        )}
      </div>
      {secret ? <ShownOnce secret={secret} /> : null}
      {message ? <Banner kind={message.kind}>{message.text}</Banner> : null}
    </div>
  );
}
