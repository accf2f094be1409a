"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { Banner } from "@/app/components/banner";
import { useConfirmedAction } from "@/app/components/password-prompt";
import { bannerOf, useActionButton } from "@/app/components/use-action-button";
import { setImapEnabledAction, setImapMailboxesAction } from "@/app/settings/relay/imap-actions";
import { IMAP_GATEWAY_DEFAULTS } from "@/lib/relay/client-safe/imap-schema";
import styles from "@/app/settings/relay/relay.module.css";
import { Copyable, ListenerSwitch } from "@/app/settings/relay/listener-switch";

export function ImapSwitch({ enabled }: { enabled: boolean }) {
  return <ListenerSwitch enabled={enabled} action={setImapEnabledAction} name="the IMAP gateway" testId="imap-state" />;
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
