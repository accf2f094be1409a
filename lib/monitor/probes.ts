import "server-only";
import { randomUUID } from "node:crypto";
import { runEmailChecks } from "@/lib/mail/check-runner";
import type { TlsExtras } from "@/lib/mail/connection";
import type { CheckCard } from "@/lib/mail/client-safe/types";
import {
  type MailRole,
  roleConnectionType,
  roleMailbox,
  roleUsesMicrosoft,
} from "@/lib/microsoft/client-safe/mail-roles";
import type { MailRolesStatus } from "@/lib/microsoft/mail-role-status";
import { usesGraph } from "@/lib/microsoft/client-safe/smtp-transport";
import type { StoredEmailSettings } from "@/lib/settings/email-repository";

/**
 * What the health monitor checks for each mailbox role: a small table of probes. A probe reuses the
 * steps of Test Email Configuration (lib/mail/check-runner.ts in "probe" mode, bounded by the configured
 * timeouts, with the same diagnoses) and sends nothing: the Microsoft token (from the cache, refreshed
 * when due), then SMTP connect + TLS + AUTH stopping before MAIL FROM, or IMAP connect + AUTHENTICATE +
 * SELECT INBOX. Another transport (Microsoft Graph: token + Mail.Send permission) is one more entry
 * whose `applies` says when it replaces the SMTP one (put it before that one: the first entry that
 * applies is the role's probe).
 */

export type ProbeContext = {
  settings: StoredEmailSettings & { saved: boolean };
  /** Extra CA for the mail servers (tests against the sandbox). */
  tls?: TlsExtras;
};

export type RoleProbe = {
  role: MailRole;
  /** What the Status page says this probe checks. */
  describes: string;
  /** Whether this probe is the one for the role with these settings. */
  applies: (s: StoredEmailSettings) => boolean;
  /** The probe's cards (token card first); never throws for a failing check. */
  run: (ctx: ProbeContext) => Promise<CheckCard[]>;
};

/** A role is monitored once it is configured enough to be used: its host and its mailbox. */
export function roleConfigured(s: StoredEmailSettings & { saved?: boolean }, role: MailRole): boolean {
  if (s.saved === false) return false;
  return role === "smtp" ? Boolean(s.smtpHost && s.smtpUser) : Boolean(s.imapHost && s.imapUser);
}

const mailProtocolProbe =
  (role: MailRole) =>
  async ({ settings, tls }: ProbeContext): Promise<CheckCard[]> => {
    const { cards } = await runEmailChecks({
      settings,
      admin: { email: settings.smtpFrom || settings.smtpUser || "" },
      runId: `monitor-${randomUUID()}`,
      mode: "probe",
      roles: [role],
      tls,
    });
    return cards;
  };

export const ROLE_PROBES: RoleProbe[] = [
  {
    role: "smtp",
    describes: "Microsoft Graph token and its Mail.Send permission (nothing is posted to sendMail: nothing is sent)",
    applies: (s) => usesGraph(s) && Boolean(s.smtpUser),
    run: mailProtocolProbe("smtp"),
  },
  {
    role: "smtp",
    describes: "Microsoft token, SMTP connect + TLS + AUTH (stops before MAIL FROM: nothing is sent)",
    applies: (s) => roleConfigured(s, "smtp"),
    run: mailProtocolProbe("smtp"),
  },
  {
    role: "imap",
    describes: "Microsoft token, IMAP connect + TLS + AUTHENTICATE + SELECT INBOX",
    applies: (s) => roleConfigured(s, "imap"),
    run: mailProtocolProbe("imap"),
  },
];

/**
 * The probe for each role in use (the first entry that applies). A role that signs in to Microsoft as a
 * user is in use once it was authorized: before that (and after Disconnect) there is nothing to watch,
 * and Email Settings says what to do.
 */
export function probesFor(
  s: StoredEmailSettings & { saved: boolean },
  status: Pick<MailRolesStatus, "accounts">,
): RoleProbe[] {
  const chosen: RoleProbe[] = [];
  for (const p of ROLE_PROBES) {
    if (chosen.some((c) => c.role === p.role) || !p.applies(s)) continue;
    const delegated = roleUsesMicrosoft(s, p.role) && roleConnectionType(s, p.role) === "delegated";
    if (delegated && !status.accounts.some((a) => a.roles.includes(p.role) && a.connection)) continue;
    chosen.push(p);
  }
  return chosen;
}

export function probedMailbox(s: StoredEmailSettings, role: MailRole): string {
  return roleMailbox(s, role) || (role === "smtp" ? (s.smtpUser ?? "") : (s.imapUser ?? ""));
}
