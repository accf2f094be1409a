"use client";
import { useCallback, useState } from "react";
import { useRouter } from "next/navigation";
import { NewPasswordField } from "@/app/components/new-password-field";
import {
  addAdminWithPasswordSchema,
  type InviteAdminInput,
  inviteAdminSchema,
} from "@/lib/admins/client-safe/admin-schemas";
import { addAdminWithPasswordAction, type InvitationCreated, inviteAdminAction } from "@/app/settings/admins/actions";
import { InvitationDialog } from "@/app/settings/admins/invitation-dialog";
import { ErrorSummary } from "@/app/components/error-summary";
import { Field } from "@/app/components/field";
import { SaveStatus } from "@/app/components/save-status";
import { useActionForm } from "@/app/components/use-action-form";

/** Two ways to add an administrator: a single-use link they open themselves, or an initial password. */
export function AddAdministrator() {
  return (
    <div className="stack">
      <InviteByLinkForm />
      <AddWithPasswordForm />
    </div>
  );
}

function InviteByLinkForm() {
  const router = useRouter();
  const [created, setCreated] = useState<InvitationCreated | null>(null);
  const invite = useCallback(async (input: InviteAdminInput) => {
    const result = await inviteAdminAction(input);
    if (result.ok && result.data) setCreated(result.data);
    return result;
  }, []);
  const { form, banner, summary, onSubmit } = useActionForm(inviteAdminSchema, invite, {
    defaultValues: { email: "" },
    onSuccess: (_values, f) => {
      f.reset({ email: "" });
      router.refresh();
    },
  });
  const errors = form.formState.errors;
  return (
    <form onSubmit={onSubmit} noValidate aria-label="Invite by link" className="panel">
      <h3 className="flush-top">Invite by link</h3>
      <p className="hint">
        A single-use link that works for 72 hours: the invitee chooses their name and password. It is shown to copy, and
        mailed when the configured SMTP works.
      </p>
      <ErrorSummary errors={summary.errors} attempt={summary.attempt} />
      <Field id="invite-email" label="Their email" error={errors.email?.message}>
        {(a) => <input type="email" autoComplete="off" {...a} {...form.register("email")} />}
      </Field>
      <div className="actions">
        <button type="submit" className="btn btn-primary" disabled={form.formState.isSubmitting}>
          {form.formState.isSubmitting ? "Creating…" : "Create invitation link"}
        </button>
      </div>
      <SaveStatus banner={banner} />
      {created ? <InvitationDialog invitation={created} onClose={() => setCreated(null)} /> : null}
    </form>
  );
}

function AddWithPasswordForm() {
  const router = useRouter();
  const { form, banner, summary, onSubmit } = useActionForm(addAdminWithPasswordSchema, addAdminWithPasswordAction, {
    defaultValues: { name: "", email: "", password: "" },
    onSuccess: (_values, f) => {
      f.reset({ name: "", email: "", password: "" });
      router.refresh();
    },
  });
  const errors = form.formState.errors;
  return (
    <form onSubmit={onSubmit} noValidate aria-label="Add with an initial password" className="panel">
      <h3 className="flush-top">Add with an initial password</h3>
      <p className="hint">
        Give them the password yourself (not by email). They must choose their own at their first sign-in.
      </p>
      <ErrorSummary errors={summary.errors} attempt={summary.attempt} />
      <div className="grid">
        <Field id="name" label="Their name" error={errors.name?.message}>
          {(a) => <input type="text" autoComplete="off" {...a} {...form.register("name")} />}
        </Field>
        <Field id="email" label="Their email" error={errors.email?.message}>
          {(a) => <input type="email" autoComplete="off" {...a} {...form.register("email")} />}
        </Field>
        <NewPasswordField
          id="password"
          label="Initial password"
          error={errors.password?.message}
          registration={form.register("password")}
        />
      </div>
      <div className="actions">
        <button type="submit" className="btn btn-primary" disabled={form.formState.isSubmitting}>
          {form.formState.isSubmitting ? "Adding…" : "Add administrator"}
        </button>
      </div>
      <SaveStatus banner={banner} />
    </form>
  );
}
