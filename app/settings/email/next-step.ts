import type { MailRolesStatus } from "@/lib/microsoft/mail-role-status";
import { type CredentialExpiry, describeExpiry } from "@/lib/microsoft/credential-expiry";

/**
 * The step the action bar names (Save → Authorize → Test), read from the role read model:
 * "Next: Authorize approvals@contoso.com" while a mailbox in use is not connected.
 */
export function nextStep(status: MailRolesStatus, saved: boolean, expiring: CredentialExpiry[] = []): string {
  if (!saved) return "Next: fill in and save the settings.";
  // A credential that ends within a day (or has) comes first; one in the 30- or 7-day window after the set-up steps.
  const renew = expiring[0] ? renewStep(expiring[0]) : null;
  if (renew && (expiring[0]?.window === "expired" || expiring[0]?.window === 1)) return renew;
  const seen = new Set<string>();
  for (const r of status.roles) {
    if (!r.usesMicrosoft || r.healthy) continue;
    if (r.connectionType === "application") return "Next: the app-only setup (below), then Test Email Configuration.";
    const who = r.account ?? r.mailbox;
    if (who && seen.has(who)) continue;
    if (who) seen.add(who);
    if (r.blockers.length) return `Next: complete the settings, then Authorize ${who ?? "the mailbox"}.`;
    return `Next: ${r.connection ? "Re-Authorize" : "Authorize"} ${who ?? "the mailbox"} (below).`;
  }
  return renew ?? "Next: Test Email Configuration.";
}

function renewStep(e: CredentialExpiry): string {
  const what = e.kind === "refresh-token" ? `Re-Authorize ${e.account}` : `renew ${e.subject.replace(/^The /, "the ")}`;
  return `Next: ${what}: it ${describeExpiry(e)} (the steps are in the banner above).`;
}
