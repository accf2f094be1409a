"use client";
import { useState } from "react";
import { useTestEmail } from "@/app/settings/email/email-settings-island";

/**
 * "Test Email Configuration", next to Save. The test runs on what is SAVED: with unsaved changes
 * it says so and offers to save first.
 */
export function TestEmailButton({ dirty, save }: { dirty: boolean; save: () => Promise<boolean> }) {
  const { running, start } = useTestEmail();
  const [asking, setAsking] = useState(false);
  const [saving, setSaving] = useState(false);

  const onClick = () => {
    if (dirty) setAsking(true);
    else void start();
  };
  const saveThenTest = async () => {
    setSaving(true);
    try {
      if (await save()) {
        setAsking(false);
        await start();
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <>
      <button
        type="button"
        className="btn"
        onClick={onClick}
        disabled={running || saving}
        aria-describedby={asking ? "test-email-unsaved" : undefined}
      >
        {running ? "Testing…" : "Test Email Configuration"}
      </button>
      {asking ? (
        // biome-ignore lint/a11y/useSemanticElements: a confirmation prompt (text and two buttons), not a set of form fields
        <div role="group" aria-labelledby="test-email-unsaved" className="banner banner-warn prompt-row">
          <p id="test-email-unsaved" className="prompt-text">
            You have unsaved changes. The test uses the saved settings: save first?
          </p>
          <div className="actions actions-flush">
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
                void start();
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
