"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { Banner } from "@/app/components/banner";
import { CopyButton } from "@/app/components/copy-button";
import { useConfirmedAction } from "@/app/components/password-prompt";
import { bannerOf, useActionButton } from "@/app/components/use-action-button";
import { setImapEnabledAction, setImapMailboxesAction } from "@/app/settings/relay/imap-actions";
import { IMAP_GATEWAY_DEFAULTS } from "@/lib/relay/client-safe/imap-schema";
import styles from "@/app/settings/relay/relay.module.css";

function Copyable({ value, label, testId }: { value: string; label: string; testId?: string }) {
  return (
    <span className="copy-row">
      <code className="code" data-copy-source={value} data-testid={testId}>
        {value}
      </code>
      <CopyButton text={value} label={label} />
    </span>
  );
}

export function ImapSwitch({ enabled }: { enabled: boolean }) {
  const router = useRouter();
  const toggle = useActionButton(setImapEnabledAction);
  const message = bannerOf(toggle.result, "Saved.");
  return (
    <div className="stack">
      <p data-testid="imap-state">
        Status: <strong>{enabled ? "Enabled" : "Disabled"}</strong>
      </p>
      <div className="actions actions-flush">
        <button
          type="button"
          className={enabled ? "btn" : "btn btn-primary"}
          disabled={toggle.pending}
          onClick={async () => {
            if ((await toggle.run({ enabled: !enabled }))?.ok) router.refresh();
          }}
        >
          {enabled ? "Disable the IMAP gateway" : "Enable the IMAP gateway"}
        </button>
      </div>
      {message ? <Banner kind={message.kind}>{message.text}</Banner> : null}
    </div>
  );
}

export function ImapSettingsToPaste({ host, port, mailbox }: { host: string; port: number; mailbox: string }) {
  return (
    <dl className={styles.paste} data-testid="imap-settings">
      <dt>IMAP host</dt>
      <dd>
        <Copyable value={host} label="Copy IMAP host" testId="imap-host" />
      </dd>
      <dt>Port</dt>
      <dd>
        <Copyable value={String(port)} label="Copy IMAP port" testId="imap-port" />
      </dd>
      <dt>Security</dt>
      <dd>
        <Copyable value="SSL/TLS" label="Copy IMAP security" />
        <span className="hint"> (implicit TLS from the first byte; not STARTTLS)</span>
      </dd>
      <dt>User name</dt>
      <dd>
        {mailbox ? (
          <Copyable value={mailbox} label="Copy IMAP user name" testId="imap-user" />
        ) : (
          <span className="hint">The mailbox (the Approval Reply Address)</span>
        )}
      </dd>
      <dt>Password</dt>
      <dd className="hint">
        A relay credential&apos;s password (LOGIN or AUTHENTICATE PLAIN), once the mailbox is in its IMAP mailboxes
        below.
      </dd>
      {port === IMAP_GATEWAY_DEFAULTS.port ? null : (
        <dd className="hint">This port comes from RELAY_IMAP_PORT (default {IMAP_GATEWAY_DEFAULTS.port}).</dd>
      )}
    </dl>
  );
}

export function MailboxScopeForm({ id, name, mailboxes }: { id: string; name: string; mailboxes: string[] }) {
  const router = useRouter();
  const [value, setValue] = useState(mailboxes.join("\n"));
  const confirmed = useConfirmedAction(setImapMailboxesAction);
  const save = useActionButton(confirmed.run);
  const message = bannerOf(save.result, "Saved.");
  const fieldId = `imap-scope-${id}`;
  return (
    <form
      className="stack"
      aria-label={`IMAP mailboxes of ${name}`}
      onSubmit={async (e) => {
        e.preventDefault();
        if ((await save.run({ id, mailboxes: value }))?.ok) router.refresh();
      }}
    >
      {confirmed.prompt}
      <label htmlFor={fieldId} className="visually-hidden">
        IMAP mailboxes {name} may open, one per line
      </label>
      <textarea
        id={fieldId}
        className={styles.list}
        rows={2}
        value={value}
        placeholder="none"
        onChange={(e) => setValue(e.target.value)}
      />
      <div className="actions actions-tight">
        <button type="submit" className="btn btn-small" disabled={save.pending}>
          Save<span className="visually-hidden"> the IMAP mailboxes of {name}</span>
        </button>
      </div>
      {message ? <Banner kind={message.kind}>{message.text}</Banner> : null}
    </form>
  );
}
