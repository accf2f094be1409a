"use client";
import { useState } from "react";
import Link from "next/link";
import { acceptInvitationSchema } from "@/lib/admins/client-safe/admin-schemas";
import { acceptInvitationAction } from "@/app/invite/[token]/actions";
import { Banner } from "@/app/components/banner";
import { ErrorSummary } from "@/app/components/error-summary";
import { Field } from "@/app/components/field";
import { useActionForm } from "@/app/components/use-action-form";
import { NewPasswordField } from "@/app/components/new-password-field";

export function AcceptInvitationForm({ token, email }: { token: string; email: string }) {
  const [done, setDone] = useState(false);
  const { form, banner, summary, onSubmit } = useActionForm(acceptInvitationSchema, acceptInvitationAction, {
    defaultValues: { token, name: "", password: "" },
    onSuccess: () => setDone(true),
  });
  const errors = form.formState.errors;
  if (done) {
    return (
      <div className="auth-card" data-testid="invitation-accepted">
        <Banner kind="ok">Your administrator account {email} is ready.</Banner>
        <p className="actions">
          <Link className="btn btn-primary" href="/sign-in">
            Sign in
          </Link>
        </p>
      </div>
    );
  }
  return (
    <form onSubmit={onSubmit} noValidate aria-label="Accept the invitation" className="auth-card">
      {banner ? <Banner kind={banner.kind}>{banner.text}</Banner> : null}
      <ErrorSummary errors={summary.errors} attempt={summary.attempt} />
      <div className="stack">
        <p className="hint">
          Email: <strong>{email}</strong>
        </p>
        <Field id="name" label="Your name" error={errors.name?.message}>
          {(a) => <input type="text" autoComplete="name" {...a} {...form.register("name")} />}
        </Field>
        <NewPasswordField
          id="password"
          label="Password"
          error={errors.password?.message}
          registration={form.register("password")}
        />
      </div>
      <div className="actions">
        <button type="submit" className="btn btn-primary" disabled={form.formState.isSubmitting}>
          {form.formState.isSubmitting ? "Creating…" : "Create my account"}
        </button>
      </div>
    </form>
  );
}
