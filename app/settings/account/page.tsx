import type { Metadata } from "next";
import { requireAdminPage } from "@/lib/auth/guard";
import { mustChangePassword } from "@/lib/auth/password-change-required";
import { listOwnSessions } from "@/lib/admins/own-sessions";
import { readableAddress, readableUserAgent } from "@/lib/admins/user-agent";
import { Banner } from "@/app/components/banner";
import { ChangePasswordForm } from "@/app/settings/account/change-password-form";
import { SessionsList, type SessionRow } from "@/app/settings/account/sessions-list";

export const metadata: Metadata = { title: "Your account" };

export default async function AccountPage() {
  const admin = await requireAdminPage("/settings/account");
  const forced = mustChangePassword(admin);
  const sessions: SessionRow[] = forced
    ? []
    : (await listOwnSessions(admin.id)).map((s) => ({
        id: s.id, // never the token: that stays on the server
        device: readableUserAgent(s.userAgent),
        address: readableAddress(s.ipAddress),
        signedInAt: s.createdAt.toISOString(),
        lastActivityAt: s.lastActiveAt.toISOString(),
        current: s.id === admin.sessionId,
      }));
  return (
    <>
      <h1>Your account</h1>
      <p className="lead">
        {admin.name} &lt;{admin.email}&gt;
      </p>
      {forced ? (
        <div data-testid="must-change-password">
          <Banner kind="warn">
            An administrator set your password. Choose your own to continue: nothing else is available until you do.
          </Banner>
        </div>
      ) : null}
      <h2 className="section-title section-gap">Change your password</h2>
      <ChangePasswordForm forced={forced} />
      {forced ? null : (
        <>
          <h2 className="section-title section-gap">Your sessions</h2>
          <SessionsList sessions={sessions} />
        </>
      )}
    </>
  );
}
