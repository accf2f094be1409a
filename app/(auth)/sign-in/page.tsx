import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { currentAdmin } from "@/lib/auth/session";
import { setupAvailable } from "@/lib/auth/setup-code";
import { SignInForm } from "@/app/(auth)/sign-in/sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

function safeNext(next: string | undefined): string {
  return next?.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") ? next : "/settings/email";
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const { next } = await searchParams;
  if (await currentAdmin()) redirect(safeNext(next));
  if (await setupAvailable()) redirect("/setup");
  return (
    <main className="auth-page">
      <h1>Sign in to Mail Connect</h1>
      <p className="lead">Administrators only.</p>
      <SignInForm next={safeNext(next)} />
    </main>
  );
}
