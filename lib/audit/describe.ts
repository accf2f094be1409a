import { FIELD_LABELS } from "@/lib/settings/client-safe/requirements";
import { CHECK_NAMES, type CheckId } from "@/lib/mail/client-safe/types";
import type { SettingChange } from "@/lib/audit/setting-changes";

/** The audit trail in plain language: each stored event name as an administrator reads it. */
export const EVENT_LABELS: Record<string, string> = {
  "settings.general.saved": "General Settings saved",
  "settings.email.saved": "Email Settings saved",
  "settings.email.tested": "Test Email Configuration",
  "microsoft.authorize_started": "Authorize started (sent to Microsoft)",
  "microsoft.authorized": "Microsoft account authorized",
  "microsoft.authorize_failed": "Authorization failed",
  "microsoft.wrong_user": "Authorization refused: wrong Microsoft account",
  "microsoft.disconnected": "Microsoft connection disconnected",
  "microsoft.needs_reauth": "Connection needs re-authorization",
  "microsoft.needs_reauth_notified": "Administrators told: re-authorization needed",
  "microsoft.keepalive_failed": "Background token refresh failed",
  "monitor.settings_saved": "Monitoring settings saved",
  "monitor.run_now": "Checks run from the Status page",
  "monitor.alerts_paused": "Alerts paused for a mailbox",
  "monitor.alerts_resumed": "Alerts resumed for a mailbox",
  "monitor.test_event_sent": "Webhook test event sent",
  "admin.created": "Administrator created",
  "admin.password_reset": "Administrator password reset",
  "admin.invited": "Administrator invited (single-use link)",
  "admin.invitation_revoked": "Administrator invitation revoked",
  "admin.removed": "Administrator removed",
  "admin.password_changed": "Administrator changed their password",
  "admin.session_revoked": "Session signed out",
  "admin.other_sessions_revoked": "Signed out everywhere else",
  "admin.password_confirmation_failed": "Password confirmation failed",
  "relay.enabled": "SMTP relay enabled",
  "relay.disabled": "SMTP relay disabled",
  "relay.credential_created": "Relay credential created",
  "relay.credential_rotated": "Relay credential password rotated",
  "relay.credential_revoked": "Relay credential revoked",
  "relay.imap_enabled": "IMAP gateway enabled",
  "relay.imap_disabled": "IMAP gateway disabled",
  "relay.credential_imap_scope": "Relay credential's IMAP mailboxes changed",
  "admin.two_factor_cleared": "Administrator's two-factor sign-in cleared (break-glass reset)",
  "auth.signed_in": "Signed in",
  "auth.sign_in_failed": "Sign-in failed: wrong email or password",
  "auth.sign_in_throttled": "Sign-in refused: too many attempts",
  "auth.two_factor_asked": "Password accepted; two-factor code asked",
  "auth.two_factor_failed": "Two-factor code refused",
  "auth.two_factor_enabled": "Two-factor sign-in turned on",
  "auth.two_factor_disabled": "Two-factor sign-in turned off",
  "auth.signed_out": "Signed out",
  "auth.session_expired": "Session ended by its time limit",
  "setup.code_used": "First-run setup code used",
  "setup.code_refused": "First-run setup code refused",
  "settings.require_two_factor.saved": "Two-factor requirement changed",
};

const EXTRA_LABELS: Record<string, string> = {
  smtpAuthType: "SMTP auth type",
  smtpSecurity: "SMTP security",
  smtpSignInAs: "SMTP sign in as",
  imapAuthType: "IMAP auth type",
  imapSecurity: "IMAP security",
  imapSignInAs: "IMAP sign in as",
  msCloud: "Cloud",
  connectTimeoutMs: "Connect timeout (ms)",
  overallTimeoutMs: "Overall timeout (ms)",
  serverBaseUrl: "Server Base URL",
  requireTwoFactor: "Require two-factor for every administrator",
};

function fieldLabel(name: string): string {
  return (FIELD_LABELS as Record<string, string>)[name] ?? EXTRA_LABELS[name] ?? name;
}

function list(v: unknown): string[] {
  return Array.isArray(v) ? v.map(String) : [];
}

export type DescribedEvent = { title: string; details: string[] };

/** What happened, and the facts under it ("SMTP host: a.example → b.example"); never a secret value. */
export function describeEvent(
  action: string,
  target: string | null,
  d: Record<string, unknown> | null,
): DescribedEvent {
  const details: string[] = [];
  let title = EVENT_LABELS[action] ?? action;
  if (action === "settings.email.tested" && d) {
    const failed = list(d.failed);
    const total = typeof d.checks === "number" ? d.checks : null;
    title =
      total === null
        ? `${title}: ${d.ok ? "all checks passed" : `${failed.length} failed`}`
        : `${title}: ${total - failed.length} of ${total} checks passed`;
    if (failed.length) details.push(`Failed: ${failed.map((id) => CHECK_NAMES[id as CheckId] ?? id).join(", ")}`);
    if (typeof d.ms === "number") details.push(`Took ${(d.ms / 1000).toFixed(1)} s`);
    return { title, details };
  }
  if (action.startsWith("relay.credential_")) {
    if (target) details.push(`Credential: ${target}`);
    if (d && Array.isArray(d.allowedFrom)) details.push(`Allowed From: ${list(d.allowedFrom).join(", ")}`);
    if (d && Array.isArray(d.allowedCidrs) && d.allowedCidrs.length)
      details.push(`Allowed sources: ${list(d.allowedCidrs).join(", ")}`);
    if (d && typeof d.ratePerMinute === "number") details.push(`Messages per minute: ${d.ratePerMinute}`);
    if (d && Array.isArray(d.mailboxes)) details.push(`IMAP mailboxes: ${list(d.mailboxes).join(", ") || "none"}`);
    return { title, details };
  }
  if (action.startsWith("relay.")) return { title, details };
  if (target && !action.startsWith("settings.")) details.push(`Account: ${target}`);
  if (!d) return { title, details };
  const values = (d.values ?? {}) as Record<string, SettingChange>;
  for (const [name, change] of Object.entries(values))
    details.push(`${fieldLabel(name)}: ${change.from} → ${change.to}`);
  const others = list(d.changed).filter((name) => !(name in values) && !(`${name}Ms` in values));
  if (others.length) details.push(`Changed: ${others.map(fieldLabel).join(", ")} (value not shown)`);
  if (action.startsWith("settings.") && Array.isArray(d.changed) && d.changed.length === 0)
    details.push("Nothing had changed");
  for (const key of Object.keys(KEY_LABELS)) {
    const v = d[key];
    if (v === undefined || v === null || v === "") continue;
    const text = Array.isArray(v) ? v.join(", ") : typeof v === "boolean" ? (v ? "yes" : "no") : String(v);
    details.push(`${KEY_LABELS[key]}: ${text}`);
  }
  return { title, details };
}

const KEY_LABELS: Record<string, string> = {
  roles: "For",
  signedInAs: "Signed in as",
  expected: "Expected",
  alias: "Confirmed alias",
  confirmedAlias: "Confirmed alias",
  code: "Microsoft code",
  reason: "Reason",
  to: "Sent to",
  via: "Via",
  expires: "Link expires",
  mailed: "Mailed",
  method: "With",
  failures: "Failures in a row",
  address: "From address",
  userAgent: "Browser",
};
