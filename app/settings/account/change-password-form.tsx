"use client";
import { useRouter } from "next/navigation";
import { changePasswordSchema } from "@/lib/admins/client-safe/account-schemas";
import { changeOwnPasswordAction } from "@/app/settings/account/actions";
import { ErrorSummary } from "@/app/components/error-summary";
import { Field } from "@/app/components/field";
import { SaveStatus } from "@/app/components/save-status";
import { useActionForm } from "@/app/components/use-action-form";
import { NewPasswordField } from "@/app/components/new-password-field";

export function ChangePasswordForm({ forced }: { forced: boolean }) {
  const router = useRouter();
  const { form, banner, summary, onSubmit } = useActionForm(changePasswordSchema, changeOwnPasswordAction, {
    defaultValues: { currentPassword: "", newPassword: "", signOutOthers: true },
    onSuccess: (_values, f) => {
      f.reset({ currentPassword: "", newPassword: "", signOutOthers: true });
      if (forced) window.location.assign("/settings/email");
      else router.refresh();
    },
  });
  const errors = form.formState.errors;
  return (
    <form onSubmit={onSubmit} noValidate aria-label="Change your password" className="panel">
      <ErrorSummary errors={summary.errors} attempt={summary.attempt} />
      <div className="grid">
        <Field id="currentPassword" label="Current password" error={errors.currentPassword?.message}>
          {(a) => (
            <input type="password" autoComplete="current-password" {...a} {...form.register("currentPassword")} />
          )}
        </Field>
        <NewPasswordField
          id="newPassword"
          label="New password"
          error={errors.newPassword?.message}
          registration={form.register("newPassword")}
        />
      </div>
      <label className="check">
        <input type="checkbox" {...form.register("signOutOthers")} /> Sign out my other sessions
      </label>
      <div className="actions">
        <button type="submit" className="btn btn-primary" disabled={form.formState.isSubmitting}>
          {form.formState.isSubmitting ? "Changing…" : "Change password"}
        </button>
      </div>
      <SaveStatus banner={banner} />
    </form>
  );
}
