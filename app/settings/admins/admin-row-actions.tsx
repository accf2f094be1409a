"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { resetAdminPasswordSchema } from "@/lib/admins/client-safe/admin-schemas";
import { removeAdminAction, resetAdminPasswordAction } from "@/app/settings/admins/actions";
import { Banner } from "@/app/components/banner";
import { Field } from "@/app/components/field";
import { useConfirmedAction } from "@/app/components/password-prompt";
import { SaveStatus } from "@/app/components/save-status";
import { bannerOf, useActionButton } from "@/app/components/use-action-button";
import { useActionForm } from "@/app/components/use-action-form";

/** Another administrator's row: set a new password for them, or remove them (each asks to confirm). */
export function AdminRowActions({ userId, email, lastOne }: { userId: string; email: string; lastOne: boolean }) {
  const [open, setOpen] = useState<"reset" | "remove" | null>(null);
  if (open === "reset") return <ResetPasswordForm userId={userId} email={email} onClose={() => setOpen(null)} />;
  if (open === "remove") return <RemoveConfirmation userId={userId} email={email} onClose={() => setOpen(null)} />;
  return (
    <div className="actions actions-flush actions-tight">
      <button type="button" className="btn btn-small" onClick={() => setOpen("reset")}>
        Set password<span className="visually-hidden"> for {email}</span>
      </button>
      <button type="button" className="btn btn-small" disabled={lastOne} onClick={() => setOpen("remove")}>
        Remove<span className="visually-hidden"> {email}</span>
      </button>
    </div>
  );
}

function ResetPasswordForm({ userId, email, onClose }: { userId: string; email: string; onClose: () => void }) {
  const router = useRouter();
  const confirmed = useConfirmedAction(
    resetAdminPasswordAction,
    "This sets another administrator's password and ends their sessions.",
  );
  const { form, banner, onSubmit } = useActionForm(resetAdminPasswordSchema, confirmed.run, {
    defaultValues: { userId, password: "" },
    onSuccess: () => router.refresh(),
  });
  const errors = form.formState.errors;
  const fieldId = `reset-password-${userId}`;
  return (
    <form onSubmit={onSubmit} noValidate aria-label={`Set a new password for ${email}`}>
      {confirmed.prompt}
      <Field
        id={fieldId}
        label={`New password for ${email}`}
        error={errors.password?.message}
        hint="They must change it at their next sign-in; their sessions end now."
      >
        {(a) => <input type="password" autoComplete="new-password" {...a} {...form.register("password")} />}
      </Field>
      <div className="actions actions-tight">
        <button type="submit" className="btn btn-small btn-primary" disabled={form.formState.isSubmitting}>
          {form.formState.isSubmitting ? "Setting…" : "Set password"}
        </button>
        <button type="button" className="btn btn-small" onClick={onClose}>
          Close
        </button>
      </div>
      <SaveStatus banner={banner} />
    </form>
  );
}

function RemoveConfirmation({ userId, email, onClose }: { userId: string; email: string; onClose: () => void }) {
  const router = useRouter();
  const confirmed = useConfirmedAction(removeAdminAction, "This removes an administrator and ends their sessions.");
  const remove = useActionButton(confirmed.run);
  const message = bannerOf(remove.result, "Removed.");
  return (
    // biome-ignore lint/a11y/useSemanticElements: a confirmation prompt (text and two buttons), not a set of form fields
    <div role="group" aria-label={`Remove ${email}`}>
      {confirmed.prompt}
      <p className="hint">
        Remove <strong>{email}</strong>? They are signed out at once and can no longer sign in.
      </p>
      <div className="actions actions-tight">
        <button
          type="button"
          className="btn btn-small"
          disabled={remove.pending}
          onClick={async () => {
            const result = await remove.run({ userId });
            if (result?.ok) router.refresh();
          }}
        >
          {remove.pending ? "Removing…" : "Yes, remove"}
        </button>
        <button type="button" className="btn btn-small" onClick={onClose}>
          Cancel
        </button>
      </div>
      {message ? <Banner kind={message.kind}>{message.text}</Banner> : null}
    </div>
  );
}
