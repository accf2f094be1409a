import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { currentAdmin } from "@/lib/auth/session";
import { setupAvailable } from "@/lib/auth/setup-code";
import { SignInForm } from "@/app/(auth)/sign-in/sign-in-form";
import { safeReturnPath } from "@/lib/auth/return-path";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  // Same origin, an admin page, never a 500 (tab, CR/LF, backslash, "//", schemes, encoded or unicode tricks).
  const next = safeReturnPath((await searchParams).next);
  if (await currentAdmin()) redirect(next);
  if (await setupAvailable()) redirect("/setup");
  return (
    <main className="auth-page">
      <h1>Sign in to Mail Connect</h1>
      <p className="lead">Administrators only.</p>
      <SignInForm next={next} />
    </main>
  );
}
