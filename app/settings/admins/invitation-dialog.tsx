"use client";
import { useEffect, useRef } from "react";
import type { InvitationCreated } from "@/app/settings/admins/actions";
import { Banner } from "@/app/components/banner";
import { CopyButton } from "@/app/components/copy-button";
import { formatUtc } from "@/lib/format/client-safe/utc";
import styles from "@/app/components/password-prompt.module.css";

/** The new invitation's link, to copy by hand (shown once: only its hash is stored), and whether it was mailed. */
export function InvitationDialog({ invitation, onClose }: { invitation: InvitationCreated; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);
  return (
    <dialog
      ref={dialog}
      className={styles.dialog}
      aria-labelledby="invitation-dialog-title"
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <h2 className={styles.title} id="invitation-dialog-title">
        Invitation link for {invitation.email}
      </h2>
      {invitation.mailed ? (
        <Banner kind="ok">Mailed to {invitation.email}.</Banner>
      ) : (
        <Banner kind="warn">
          It could not be mailed ({invitation.mailProblem ?? "unknown reason"}). Copy the link and send it yourself.
        </Banner>
      )}
      <p className="hint">
        It works once, until {formatUtc(invitation.expiresAt, "minute")}. This is the only time it is shown.
      </p>
      <p className="copy-row">
        <code className="code" data-copy-source={invitation.link} data-testid="invitation-link">
          {invitation.link}
        </code>
        <CopyButton text={invitation.link} label="Copy invitation link" />
      </p>
      <div className="actions">
        <button type="button" className="btn btn-primary" onClick={onClose}>
          Done
        </button>
      </div>
    </dialog>
  );
}
