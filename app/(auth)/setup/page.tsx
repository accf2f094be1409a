import type { Metadata } from "next";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { setupAvailable } from "@/lib/auth/setup-code";
import { SetupForm } from "@/app/(auth)/setup/setup-form";

export const metadata: Metadata = { title: "First-run setup" };
export const dynamic = "force-dynamic";

export default async function SetupPage() {
  if (!(await setupAvailable())) redirect("/sign-in");
  // The origin this page is being used from (the HTTPS server answers only well-formed Hosts).
  const origin = `https://${(await headers()).get("host") ?? "localhost"}`;
  return (
    <main id="main" className="auth-page">
      <h1>Welcome to Mail Connect</h1>
      <p className="lead">
        Create the first administrator. The one-time setup code is printed in the server&apos;s log (look for
        &ldquo;one-time setup code&rdquo;), so only someone with access to the server can do this.
      </p>
      <SetupForm origin={origin} />
    </main>
  );
}
