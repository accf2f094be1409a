"use client";
import { type KeyboardEvent, useState } from "react";
import { useTestEmail } from "@/app/settings/email/email-settings-island";
import { Field } from "@/app/components/field";
import { testEmailSchema } from "@/lib/mail/client-safe/test-email-schema";
import styles from "@/app/settings/email/test-email.module.css";

/**
 * "Test Email Configuration", next to Save, with the recipient of this run's test message (default:
 * the signed-in admin; the route checks it with the same schema). The test runs on what is SAVED:
 * with unsaved changes it says so and offers to save first.
 */
export function TestEmailButton({ dirty, save }: { dirty: boolean; save: () => Promise<boolean> }) {
  const { running, start, adminEmail } = useTestEmail();
  const [asking, setAsking] = useState(false);
  const [saving, setSaving] = useState(false);
  const [to, setTo] = useState(adminEmail);
  const [toError, setToError] = useState<string | null>(null);

  /** The recipient if the schema accepts it, else its error next to the field. */
  const recipient = (): string | null => {
    const parsed = testEmailSchema.safeParse({ to });
    if (!parsed.success) {
      setToError(parsed.error.issues[0]?.message ?? "Enter an email address.");
      return null;
    }
    setToError(null);
    return parsed.data.to ?? adminEmail;
  };
  const run = () => {
    const address = recipient();
    if (address) void start(address);
  };
  const onClick = () => {
    if (!recipient()) return;
    if (dirty) setAsking(true);
    else run();
  };
  const saveThenTest = async () => {
    setSaving(true);
    try {
      if (await save()) {
        setAsking(false);
        run();
      }
    } finally {
      setSaving(false);
    }
  };
  // Enter in the recipient field starts the test (it would otherwise submit the settings form: Save).
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key !== "Enter") return;
    e.preventDefault();
    onClick();
  };

  return (
    <>
      <div className={styles.recipient}>
        <Field
          id="test-recipient"
          label="Send the test message to"
          error={toError ?? undefined}
          hint="For this run only; your own address by default."
        >
          {(a) => (
            <input
              {...a}
              type="email"
              spellCheck={false}
              autoComplete="email"
              value={to}
              onChange={(e) => setTo(e.target.value)}
              onKeyDown={onKeyDown}
            />
          )}
        </Field>
        <button
          type="button"
          className="btn"
          onClick={onClick}
          disabled={running || saving}
          aria-describedby={asking ? "test-email-unsaved" : undefined}
        >
          {running ? "Testing…" : "Test Email Configuration"}
        </button>
      </div>
      {asking ? (
        // biome-ignore lint/a11y/useSemanticElements: a confirmation prompt (text and two buttons), not a set of form fields
        <div role="group" aria-labelledby="test-email-unsaved" className={`banner banner-warn ${styles.prompt}`}>
          <p id="test-email-unsaved" className={styles.promptText}>
            You have unsaved changes. The test uses the saved settings: save first?
          </p>
          <div className={`actions ${styles.promptActions}`}>
            <button
              type="button"
              className="btn btn-primary btn-small"
              onClick={() => void saveThenTest()}
              disabled={saving}
            >
              {saving ? "Saving…" : "Save and test"}
            </button>
            <button
              type="button"
              className="btn btn-small"
              onClick={() => {
                setAsking(false);
                run();
              }}
            >
              Test the saved settings
            </button>
            <button type="button" className="btn btn-small" onClick={() => setAsking(false)}>
              Cancel
            </button>
          </div>
        </div>
      ) : null}
    </>
  );
}
