"use client";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { signInSchema, type SignInInput } from "@/lib/auth/client-safe/admin-schema";
import { Field } from "@/app/components/field";
import { Banner } from "@/app/components/banner";

export function SignInForm({ next }: { next: string }) {
  const form = useForm<SignInInput>({
    resolver: zodResolver(signInSchema, undefined, { raw: true }),
    defaultValues: { email: "", password: "" },
  });
  const [error, setError] = useState<string | null>(null);
  const errors = form.formState.errors;

  const onSubmit = form.handleSubmit(async (values) => {
    setError(null);
    const res = await fetch("/api/auth/sign-in/email", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(values),
    });
    if (res.ok) {
      window.location.assign(next);
      return;
    }
    if (res.status === 429) {
      const wait = Number(res.headers.get("x-retry-after") ?? "60");
      setError(`Too many sign-in attempts. Wait ${wait} seconds and try again.`);
    } else if (res.status === 401) {
      setError("Wrong email or password.");
    } else if (res.status === 503) {
      setError("The database is unavailable, so nobody can sign in right now. Try again in a moment.");
    } else {
      setError(`Sign-in failed (HTTP ${res.status}). Try again.`);
    }
  });

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
