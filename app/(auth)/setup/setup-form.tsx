"use client";
import { setupFormSchema } from "@/app/(auth)/setup/client-safe/setup-schema";
import { Field } from "@/app/components/field";
import { Banner } from "@/app/components/banner";
import { useActionForm } from "@/app/components/use-action-form";
import { completeSetupAction } from "@/app/(auth)/setup/actions";
import { NewPasswordField } from "@/app/components/new-password-field";

export function SetupForm({ origin }: { origin: string }) {
  const { form, banner, onSubmit } = useActionForm(setupFormSchema, completeSetupAction, {
    defaultValues: { setupCode: "", name: "", email: "", password: "", serverBaseUrl: origin },
    onSuccess: () => window.location.assign("/settings/general"),
  });
  const errors = form.formState.errors;
  return (
    <form onSubmit={onSubmit} noValidate aria-label="First-run setup" className="auth-card">
      {banner ? <Banner kind={banner.kind}>{banner.text}</Banner> : null}
      <div className="stack">
        <Field
          id="setupCode"
          label="Setup code"
          error={errors.setupCode?.message}
          hint="From the server log, e.g. ABCD-EFGH-JKLM-NPQR"
        >
          {(a) => (
            <input type="text" autoComplete="one-time-code" spellCheck={false} {...a} {...form.register("setupCode")} />
          )}
        </Field>
        <Field id="name" label="Your name" error={errors.name?.message}>
          {(a) => <input type="text" autoComplete="name" {...a} {...form.register("name")} />}
        </Field>
        <Field id="email" label="Email" error={errors.email?.message} hint="Test emails are sent to this address.">
          {(a) => <input type="email" autoComplete="username" {...a} {...form.register("email")} />}
        </Field>
        <NewPasswordField
          id="password"
          label="Password"
          error={errors.password?.message}
          registration={form.register("password")}
        />
        <Field
          id="serverBaseUrl"
          label="Server Base URL"
          error={errors.serverBaseUrl?.message}
          hint="The address administrators use to reach this server: the one you are using now, unless you change it."
        >
          {(a) => <input type="url" spellCheck={false} {...a} {...form.register("serverBaseUrl")} />}
        </Field>
      </div>
      <div className="actions">
        <button type="submit" className="btn btn-primary" disabled={form.formState.isSubmitting}>
          {form.formState.isSubmitting ? "Creating…" : "Create administrator"}
        </button>
      </div>
    </form>
  );
}
