import { CLOUDS } from "@/lib/microsoft/client-safe/clouds";

/**
 * Microsoft's end of Basic authentication (a user name and password) on Exchange Online, written once for
 * Email Settings, the banner and Test Email Configuration's diagnoses. Imports nothing server-only.
 *
 * SMTP AUTH (Exchange Team blog, "Updated Exchange Online SMTP AUTH Basic Authentication Deprecation
 * Timeline", 27 January 2026): unchanged until December 2026; at the end of December 2026 disabled by
 * default for existing tenants (administrators can still turn it back on); unavailable by default for new
 * tenants created after December 2026; the final removal date is announced in the second half of 2027.
 * Refused with `550 5.7.30 Basic authentication is not supported for Client Submission`.
 * IMAP: Basic authentication was turned off in Exchange Online from October 2022.
 */
export const SMTP_BASIC_AUTH_SOURCE = {
  label: "Exchange Team blog: Updated Exchange Online SMTP AUTH Basic Authentication Deprecation Timeline (Jan 2026)",
  href: "https://techcommunity.microsoft.com/blog/exchange/updated-exchange-online-smtp-auth-basic-authentication-deprecation-timeline/4489835",
} as const;

export const IMAP_BASIC_AUTH_SOURCE = {
  label: "Microsoft Learn: Deprecation of Basic authentication in Exchange Online",
  href: "https://learn.microsoft.com/exchange/clients-and-mobile-in-exchange-online/deprecation-of-basic-authentication-exchange-online",
} as const;

/** The moment Basic authentication for SMTP AUTH is off by default for existing tenants: the end of December 2026. */
export const SMTP_BASIC_AUTH_DEFAULT_OFF = new Date("2027-01-01T00:00:00Z");

/** Exchange Online's rejection of a password for SMTP AUTH. */
export const BASIC_AUTH_REJECTION = "550 5.7.30 Basic authentication is not supported for Client Submission";

const clouds = Object.values(CLOUDS);
/** Exchange Online's SMTP AUTH hosts (every cloud of the cloud table, and smtp.outlook.com). */
export const EXCHANGE_ONLINE_SMTP_HOSTS: ReadonlySet<string> = new Set([
  ...clouds.map((c) => c.smtp.host),
  "smtp.outlook.com",
]);
/** Exchange Online's IMAP hosts (every cloud of the cloud table, and outlook.office.com). */
export const EXCHANGE_ONLINE_IMAP_HOSTS: ReadonlySet<string> = new Set([
  ...clouds.map((c) => c.imap.host),
  "outlook.office.com",
]);

const hostOf = (host: unknown) => (typeof host === "string" ? host.trim().toLowerCase().replace(/\.$/, "") : "");

export type BasicAuthNotice = {
  role: "smtp" | "imap";
  /** One sentence: what happens, and when. */
  headline: string;
  /** The timeline and what to do. */
  details: string[];
  source: { label: string; href: string };
};

type Settings = {
  smtpAuthType?: unknown;
  smtpHost?: unknown;
  imapUser?: unknown;
  imapAuthType?: unknown;
  imapHost?: unknown;
};

const RELAY =
  "Devices or applications that can only send with a password: point them at this server's SMTP relay (the Relay page) instead; it sends on to Exchange Online with Microsoft OAuth.";

/** The SMTP part: the timeline as seen from `now`. */
export function smtpBasicAuthNotice(host: string, now: Date): BasicAuthNotice {
  const left = Math.ceil((SMTP_BASIC_AUTH_DEFAULT_OFF.getTime() - now.getTime()) / 86_400_000);
  const headline =
    left > 0
      ? `SMTP uses a password on Exchange Online (${host}): Microsoft turns Basic authentication for SMTP AUTH off by default for existing tenants at the end of December 2026 (in ${left} day${left === 1 ? "" : "s"}).`
      : `SMTP uses a password on Exchange Online (${host}): since the end of December 2026 Microsoft turns Basic authentication for SMTP AUTH off by default for existing tenants.`;
  return {
    role: "smtp",
    headline,
    details: [
      `Then Exchange Online answers "${BASIC_AUTH_REJECTION}". An administrator can still turn it back on for now; tenants created after December 2026 cannot use it, and Microsoft announces the final removal date in the second half of 2027.`,
      "Switch to Microsoft OAuth: the other SMTP fields stay; fill in the Microsoft OAuth section from your Azure app registration, Save, then Authorize the mailbox.",
      RELAY,
    ],
    source: SMTP_BASIC_AUTH_SOURCE,
  };
}

/** The IMAP part: off since 2022. */
export function imapBasicAuthNotice(host: string): BasicAuthNotice {
  return {
    role: "imap",
    headline: `IMAP uses a password on Exchange Online (${host}): Microsoft turned Basic authentication for IMAP off in Exchange Online in 2022, so the password is refused (AUTHENTICATE failed).`,
    details: [
      "Switch to Microsoft OAuth: the other IMAP fields stay; fill in the Microsoft OAuth section, Save, then Authorize the Approval Reply Address.",
    ],
    source: IMAP_BASIC_AUTH_SOURCE,
  };
}

/** The notices for settings (saved or being edited): a role with auth type Password on an Exchange Online host. */
export function basicAuthNotices(s: Settings, now: Date): BasicAuthNotice[] {
  const notices: BasicAuthNotice[] = [];
  const smtpHost = hostOf(s.smtpHost);
  if (s.smtpAuthType === "password" && EXCHANGE_ONLINE_SMTP_HOSTS.has(smtpHost))
    notices.push(smtpBasicAuthNotice(smtpHost, now));
  const imapHost = hostOf(s.imapHost);
  if (hostOf(s.imapUser) && s.imapAuthType === "password" && EXCHANGE_ONLINE_IMAP_HOSTS.has(imapHost))
    notices.push(imapBasicAuthNotice(imapHost));
  return notices;
}
