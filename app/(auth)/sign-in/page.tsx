import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { currentAdmin } from "@/lib/auth/session";
import { setupAvailable } from "@/lib/auth/setup-code";
import { SignInForm } from "@/app/(auth)/sign-in/sign-in-form";
import { Banner } from "@/app/components/banner";
import { safeReturnPath } from "@/lib/auth/return-path";
import { SESSION_END_MESSAGES } from "@/lib/auth/session-limits";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ next?: string | string[]; signedOut?: string | string[]; ended?: string | string[] }>;
}) {
  const params = await searchParams;
  // Same origin, an admin page, never a 500 (tab, CR/LF, backslash, "//", schemes, encoded or unicode tricks).
  const next = safeReturnPath(params.next);
  if (await currentAdmin()) redirect(next);
  if (await setupAvailable()) redirect("/setup");
  return (
    <main id="main" className="auth-page">
      <h1>Sign in to Mail Connect</h1>
      <p className="lead auth-about">
        Mail Connect connects your product’s email to Microsoft 365 with OAuth 2.0 and proves it works. Administrators
        only.
      </p>
      {params.signedOut === "1" ? (
        <div data-testid="signed-out">
          <Banner kind="ok">You have signed out.</Banner>
        </div>
      ) : null}
      {params.ended === "idle" || params.ended === "absolute" ? (
        <div data-testid="session-ended">
          <Banner kind="warn">{SESSION_END_MESSAGES[params.ended]}</Banner>
        </div>
      ) : null}
      <SignInForm next={next} />
      <p className="hint spaced" data-testid="password-recovery">
        Forgot your password? On the server, run{" "}
        <code className="code">npm run admin:create -- --email you@example.com --reset</code> to set a new one (it ends
        that administrator’s sessions).
      </p>
    </main>
  );
}
