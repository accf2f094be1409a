"use client";
import { type ReactNode, useCallback, useEffect, useRef, useState } from "react";
import type { ActionResult } from "@/lib/auth/client-safe/action-result";
import { Field } from "@/app/components/field";
import { confirmPasswordAction } from "@/app/components/password-confirmation-action";
import { SERVER_UNREACHABLE } from "@/app/components/use-action-button";
import styles from "@/app/components/password-prompt.module.css";

const NOT_CONFIRMED = "Nothing was changed: your password was not confirmed.";

/**
 * An action that may answer "confirmation needed" (changes of where secrets go, Disconnect): `run`
 * calls it; on that answer it shows the password prompt (`prompt`, a modal dialog that may sit inside the
 * caller's form: it has no form of its own and never submits the caller's) and,
 * once the password is confirmed, calls the action again with the same input.
 */
export function useConfirmedAction<I, R>(
  action: (input: I) => Promise<ActionResult<R>>,
  /** What the change does, for the prompt (default: where stored passwords and tokens are sent). */
  why = "This changes where stored passwords and tokens are sent (or removes them).",
): { run: (input: I) => Promise<ActionResult<R>>; prompt: ReactNode } {
  const [asking, setAsking] = useState<{ done: (confirmed: boolean) => void } | null>(null);
  const run = useCallback(
    async (input: I): Promise<ActionResult<R>> => {
      const first = await action(input);
      if (first.ok || !first.needsConfirmation) return first;
      const confirmed = await new Promise<boolean>((done) => setAsking({ done }));
      setAsking(null);
      return confirmed ? action(input) : { ok: false, error: NOT_CONFIRMED };
    },
    [action],
  );
  return { run, prompt: asking ? <PasswordPrompt onDone={asking.done} why={why} /> : null };
}

/** A small modal dialog: the admin's password, Confirm / Cancel (Escape cancels). */
function PasswordPrompt({ onDone, why }: { onDone: (confirmed: boolean) => void; why: string }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | undefined>();
  const [pending, setPending] = useState(false);
  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);

  const confirm = async () => {
    if (pending) return;
    setPending(true);
    let result: ActionResult<unknown>;
    try {
      result = await confirmPasswordAction({ password });
    } catch {
      result = { ok: false, error: SERVER_UNREACHABLE };
    }
    setPending(false);
    if (result.ok) onDone(true);
    else setError(result.fieldErrors?.password ?? result.error);
  };

  return (
    <dialog
      ref={dialog}
      className={styles.dialog}
      aria-labelledby="password-prompt-title"
      onCancel={(event) => {
        event.preventDefault();
        onDone(false);
      }}
    >
      <div>
        <h2 className={styles.title} id="password-prompt-title">
          Confirm your password
        </h2>
        <p className="hint">
          {why} Enter your Mail Connect password to continue; you will not be asked again for 5 minutes.
        </p>
        <Field id="password-prompt-password" label="Your password" error={error}>
          {(a) => (
            <input
              {...a}
              type="password"
              autoComplete="current-password"
              autoFocus
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              onKeyDown={(e) => {
                if (e.key !== "Enter") return;
                e.preventDefault(); // not the surrounding form's submit
                void confirm();
              }}
            />
          )}
        </Field>
        <div className="actions">
          <button type="button" className="btn btn-primary" disabled={pending} onClick={() => void confirm()}>
            {pending ? "Confirming…" : "Confirm"}
          </button>
          <button type="button" className="btn" onClick={() => onDone(false)}>
            Cancel
          </button>
        </div>
      </div>
    </dialog>
  );
}
