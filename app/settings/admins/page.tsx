import type { Metadata } from "next";
import { requireAdminPage } from "@/lib/auth/guard";
import { listAdmins } from "@/lib/admins/admin-directory";
import { pendingInvitations } from "@/lib/admins/invitations";
import { formatUtc } from "@/lib/format/client-safe/utc";
import { AddAdministrator } from "@/app/settings/admins/add-administrator";
import { AdminRowActions } from "@/app/settings/admins/admin-row-actions";
import { RevokeInvitationButton } from "@/app/settings/admins/revoke-invitation-button";

export const metadata: Metadata = { title: "Administrators" };

export default async function AdministratorsPage() {
  const me = await requireAdminPage("/settings/admins");
  const [admins, invitations] = await Promise.all([listAdmins(), pendingInvitations()]);
  return (
    <>
      <h1>Administrators</h1>
      <p className="lead">
        Everyone who can sign in to Mail Connect. Removing an administrator or setting their password ends their
        sessions.
      </p>
      <table className="audit" data-testid="admins-table">
        <caption className="visually-hidden">Administrators</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Two-factor</th>
            <th scope="col">Last sign-in (UTC)</th>
            <th scope="col">Added</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {admins.map((a) => (
            <tr key={a.id} data-testid={`admin-${a.email}`}>
              <td data-label="Name">
                {a.name}
                {a.id === me.id ? <span className="hint"> (you)</span> : null}
              </td>
              <td data-label="Email">{a.email}</td>
              <td data-label="Two-factor">{a.twoFactor ? "On" : "Off"}</td>
              <td data-label="Last sign-in">
                {a.lastSignInAt ? formatUtc(a.lastSignInAt, "minute") : "Never"}
                {a.mustChangePassword ? <span className="hint"> (must change password)</span> : null}
              </td>
              <td data-label="Added">
                {formatUtc(a.createdAt, "minute")} by {a.createdByEmail ?? "setup or the command line"}
              </td>
              <td data-label="Actions">
                {a.id === me.id ? (
                  <a href="/settings/account">Your account</a>
                ) : (
                  <AdminRowActions userId={a.id} email={a.email} lastOne={admins.length <= 1} />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2 className="section-title section-gap">Pending invitations</h2>
      {invitations.length === 0 ? (
        <p className="hint" data-testid="no-invitations">
          No pending invitations.
        </p>
      ) : (
        <table className="audit" data-testid="invitations-table">
          <caption className="visually-hidden">Pending invitations</caption>
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Invited</th>
              <th scope="col">Expires (UTC)</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {invitations.map((i) => (
              <tr key={i.id} data-testid={`invitation-${i.email}`}>
                <td data-label="Email">{i.email}</td>
                <td data-label="Invited">
                  {formatUtc(i.createdAt, "minute")} by {i.createdByEmail}
                </td>
                <td data-label="Expires">{formatUtc(i.expiresAt, "minute")}</td>
                <td data-label="Actions">
                  <RevokeInvitationButton invitationId={i.id} email={i.email} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2 className="section-title section-gap">Add an administrator</h2>
      <AddAdministrator />
    </>
  );
}
