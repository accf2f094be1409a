import type { MailRolesStatus } from "@/lib/microsoft/mail-role-status";

/**
 * The step the action bar names (Save → Authorize → Test), read from the role read model:
 * "Next: Authorize approvals@contoso.com" while a mailbox in use is not connected.
 */
export function nextStep(status: MailRolesStatus, saved: boolean): string {
  if (!saved) return "Next: fill in and save the settings.";
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
  return "Next: Test Email Configuration.";
}
