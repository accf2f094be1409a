import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { findUsableInvitation } from "@/lib/admins/invitations";
import { AcceptInvitationForm } from "@/app/invite/[token]/accept-invitation-form";

export const metadata: Metadata = { title: "Administrator invitation", robots: { index: false } };
export const dynamic = "force-dynamic";

/** Public, token-gated: a usable invitation shows the form; any other token answers 404 with the reason. */
export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invitation = await findUsableInvitation(token);
  if (!invitation) notFound();
  return (
    <main id="main" className="auth-page">
      <h1>Become a Mail Connect administrator</h1>
      <p className="lead">
        {invitation.createdByEmail} invited <strong>{invitation.email}</strong>. Choose your name and password; this
        link then stops working.
      </p>
      <AcceptInvitationForm token={token} email={invitation.email} />
    </main>
  );
}
