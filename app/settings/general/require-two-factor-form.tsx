"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { Banner } from "@/app/components/banner";
import { useConfirmedAction } from "@/app/components/password-prompt";
import { useActionButton } from "@/app/components/use-action-button";
import { saveRequireTwoFactorAction } from "@/app/settings/general/require-two-factor-action";

/** The "require two-factor for every administrator" switch (its own form: it asks the password again). */
export function RequireTwoFactorForm({ initial }: { initial: boolean }) {
  const router = useRouter();
  const [required, setRequired] = useState(initial);
  const { run, prompt } = useConfirmedAction(saveRequireTwoFactorAction);
  const save = useActionButton(run);
  return (
    <form
      className="panel"
      aria-label="Two-factor requirement"
      noValidate
      onSubmit={async (event) => {
        event.preventDefault();
        const result = await save.run({ required });
        if (result?.ok) router.refresh();
      }}
    >
      <h2>Sign-in</h2>
      {save.result ? (
        save.result.ok ? (
          <Banner kind="ok">{save.result.message}</Banner>
        ) : (
          <Banner kind="err">{save.result.error}</Banner>
        )
      ) : null}
      <div className="field">
        <label className="checkbox">
          <input type="checkbox" checked={required} onChange={(e) => setRequired(e.target.checked)} />
          Require two-factor sign-in for every administrator
        </label>
        <p className="hint">
          An administrator without it is sent to set it up at their next request and can do nothing else until then.
        </p>
      </div>
      <div className="actions">
        <button type="submit" className="btn btn-primary" disabled={save.pending}>
          {save.pending ? "Applying…" : "Apply sign-in requirement"}
        </button>
      </div>
      {prompt}
    </form>
  );
}
