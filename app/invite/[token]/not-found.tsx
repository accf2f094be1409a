import Link from "next/link";

/** Any invitation token that cannot be used (unknown, expired, used, revoked): a 404 that says why it may be. */
export default function InvitationNotFound() {
  return (
    <main id="main" className="auth-page">
      <h1>This invitation link is not valid</h1>
      <p className="lead" data-testid="invitation-invalid">
        It has expired (links last 72 hours), was used already, or was revoked. Ask an administrator for a new one.
      </p>
      <p>
        <Link href="/sign-in">Sign in</Link> if you already have an account.
      </p>
    </main>
  );
}
