"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { Banner } from "@/app/components/banner";
import { useBrowserOrigin } from "@/app/components/browser-origin";
import { useConfirmedAction } from "@/app/components/password-prompt";
import { bannerOf, useActionButton } from "@/app/components/use-action-button";
import { checkMicrosoftSignInAction, disconnectMicrosoftAction } from "@/app/settings/email/connection-actions";
import { useUnsavedEmailSettings } from "@/app/settings/email/email-settings-island";
import type { MailRole } from "@/lib/microsoft/client-safe/mail-roles";

export const AUTHORIZE_ROUTE = "/api/oauth/authorize";

/** Authorize / Re-Authorize: a plain form POST (works without JavaScript), disabled with the reasons. */
export function AuthorizeButton({
  role,
  label,
  who,
  secondary,
  blockers,
  serverBaseOrigin,
}: {
  role: MailRole;
  label: string;
  /** The mailbox, for an accessible name that tells each card's buttons apart. */
  who: string;
  /** A healthy connection: Re-Authorize is not the next step. */
  secondary: boolean;
  blockers: string[];
  serverBaseOrigin: string | null;
}) {
  const { unsaved } = useUnsavedEmailSettings();
  const origin = useBrowserOrigin();
  const reasons = unsaved ? ["Save your changes to Email Settings first.", ...blockers] : blockers;
  const reasonsId = `authorize-${role}-reasons`;
  const originDiffers = Boolean(origin && serverBaseOrigin && origin !== serverBaseOrigin);
  return (
    <div>
      <form method="post" action={AUTHORIZE_ROUTE} className="actions actions-flush">
        <input type="hidden" name="role" value={role} />
        <button
          type="submit"
          className={secondary ? "btn" : "btn btn-primary"}
          disabled={reasons.length > 0}
          aria-describedby={reasons.length ? reasonsId : undefined}
        >
          {label}
          <span className="visually-hidden"> {who}</span>
        </button>
      </form>
      {reasons.length ? (
        <ul className="hint" id={reasonsId} data-testid={`authorize-${role}-reasons`}>
          {reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      ) : null}
      {originDiffers && reasons.length === 0 ? (
        <div className="spaced-sm" data-testid={`authorize-${role}-origin-warning`}>
          <Banner kind="warn">
            You are using this page at <strong>{origin}</strong>, but the Server Base URL is{" "}
            <strong>{serverBaseOrigin}</strong>. Microsoft will send you back to {serverBaseOrigin}, where this browser
            may not be signed in to Mail Connect, and the authorization would fail. Open Mail Connect at the Server Base
            URL first (or correct it in General Settings). You can still go on.
          </Banner>
        </div>
      ) : null}
    </div>
  );
}

export function DisconnectButton({
  role,
  account,
  who,
  sharedNote,
}: {
  role: MailRole;
  account: string;
  who: string;
  sharedNote: string | null;
}) {
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  const confirmed = useConfirmedAction(disconnectMicrosoftAction);
  const disconnect = useActionButton(confirmed.run);
  const message = bannerOf(disconnect.result, "Disconnected.");
  if (!confirming) {
    return (
      <div>
        <button type="button" className="btn" onClick={() => setConfirming(true)}>
          Disconnect<span className="visually-hidden"> {who}</span>
        </button>
        {message ? <Banner kind={message.kind}>{message.text}</Banner> : null}
      </div>
    );
  }
  return (
    // biome-ignore lint/a11y/useSemanticElements: a confirmation prompt (text and two buttons), not a set of form fields
    <div role="group" aria-label={`Disconnect ${account}`}>
      {confirmed.prompt}
      <p className="hint">
        Delete the stored Microsoft tokens of <strong>{account}</strong>?{sharedNote ? ` ${sharedNote}` : ""} Mail stops
        until someone authorizes again.
      </p>
      <div className="actions actions-tight">
        <button
          type="button"
          className="btn"
          disabled={disconnect.pending}
          onClick={async () => {
            if (!(await disconnect.run({ role }))) return;
            setConfirming(false);
            router.refresh();
          }}
        >
          {disconnect.pending ? "Disconnecting…" : "Yes, disconnect"}
        </button>
        <button type="button" className="btn" onClick={() => setConfirming(false)}>
          Cancel
        </button>
      </div>
    </div>
  );
}

/** Check sign-in: a refresh now, with Microsoft's answer in plain language. */
export function CheckSignInButton({ role, who }: { role: MailRole; who: string }) {
  const router = useRouter();
  const check = useActionButton(checkMicrosoftSignInAction);
  const message = bannerOf(check.result, "OK");
  return (
    // display: contents, so the result is a row of its own under the card's buttons
    <div className="contents">
      <button
        type="button"
        className="btn"
        disabled={check.pending}
        onClick={async () => {
          if (await check.run({ role })) router.refresh();
        }}
      >
        {check.pending ? "Checking…" : "Check sign-in"}
        <span className="visually-hidden"> {who}</span>
      </button>
      {message ? (
        <div className="card-result" data-testid={`check-${role}-result`}>
          <Banner kind={message.kind}>{message.text}</Banner>
        </div>
      ) : null}
    </div>
  );
}
