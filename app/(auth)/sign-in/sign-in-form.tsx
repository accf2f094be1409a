"use client";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { signInSchema, type SignInInput } from "@/lib/auth/client-safe/admin-schema";
import { Field } from "@/app/components/field";
import { Banner } from "@/app/components/banner";
import { TwoFactorStep } from "@/app/(auth)/sign-in/two-factor-step";

/** The message for an answer of the auth API that is not a success. */
export function failureMessage(res: Response): string {
  if (res.status === 429) {
    const wait = Number(res.headers.get("x-retry-after") ?? "60");
    return `Too many sign-in attempts. Wait ${wait} seconds and try again.`;
  }
  if (res.status === 401) return "Wrong email or password.";
  if (res.status === 503) return "The database is unavailable, so nobody can sign in right now. Try again in a moment.";
  return `Sign-in failed (HTTP ${res.status}). Try again.`;
}

export function SignInForm({ next }: { next: string }) {
  const form = useForm<SignInInput>({
    resolver: zodResolver(signInSchema, undefined, { raw: true }),
    defaultValues: { email: "", password: "" },
  });
  const [error, setError] = useState<string | null>(null);
  const [twoFactor, setTwoFactor] = useState(false);
  const errors = form.formState.errors;

  const onSubmit = form.handleSubmit(async (values) => {
    setError(null);
    const res = await fetch("/api/auth/sign-in/email", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(values),
    });
    if (res.ok) {
      const body = (await res.json().catch(() => ({}))) as { twoFactorRedirect?: boolean };
      if (body.twoFactorRedirect) {
        setTwoFactor(true);
        return;
      }
      window.location.assign(next);
      return;
    }
    setError(failureMessage(res));
  });

  if (twoFactor) {
    return (
      <TwoFactorStep
        next={next}
        onRestart={(why) => {
          setTwoFactor(false);
          form.setValue("password", "");
          setError(why);
        }}
      />
    );
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Sign in" className="auth-card">
      {error ? <Banner kind="err">{error}</Banner> : null}
      <div className="stack">
        <Field id="email" label="Email" error={errors.email?.message}>
          {(a) => <input type="email" autoComplete="username" {...a} {...form.register("email")} />}
        </Field>
        <Field id="password" label="Password" error={errors.password?.message}>
          {(a) => <input type="password" autoComplete="current-password" {...a} {...form.register("password")} />}
        </Field>
      </div>
      <div className="actions">
        <button type="submit" className="btn btn-primary" disabled={form.formState.isSubmitting}>
          {form.formState.isSubmitting ? "Signing in…" : "Sign in"}
        </button>
      </div>
    </form>
  );
}
