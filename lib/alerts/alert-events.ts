/**
 * What an alert says, whatever the channel: the email's subject and text and the webhook's JSON come
 * from the same event. Kinds other helpers may raise too (credential expiry) are plain strings.
 */
export const ALERT_KINDS = {
  "mailbox.failing": "A mailbox started failing",
  "mailbox.recovered": "A mailbox works again",
  "mailbox.still_failing": "Daily reminder: a mailbox is still failing",
  "connection.needs_reauth": "A Microsoft connection needs re-authorization",
  "relay.refused": "The relay refused mail because of the connection",
  "credential.expiring": "A credential enters its 30-, 7- or 1-day expiry window, or expired",
  test: "Test event",
} as const;

export type AlertKind = keyof typeof ALERT_KINDS | (string & {});

export type AlertEventInput = {
  kind: AlertKind;
  /** What it is about: a mailbox address, an account, "relay". */
  target: string;
  /** One line (the email's subject without the product's prefix). */
  title: string;
  /** What happened, in a sentence or two (never a secret). */
  summary: string;
  /** What to do about it. */
  hint?: string | null;
  /** The page to open (absolute when the Server Base URL is known). */
  link?: string | null;
  /** Extra facts for the webhook receiver (role, since, diagnosis, …). */
  facts?: Record<string, string | number | boolean | null>;
};

export function alertSubject(e: AlertEventInput): string {
  return `Mail Connect: ${e.title}`;
}

export function alertText(e: AlertEventInput): string {
  return [e.summary, ...(e.hint ? ["", e.hint] : []), ...(e.link ? ["", `Open ${e.link}`] : [])].join("\n");
}

export function webhookPayload(id: string, at: Date, e: AlertEventInput) {
  return {
    id,
    type: e.kind,
    createdAt: at.toISOString(),
    target: e.target,
    title: e.title,
    summary: e.summary,
    hint: e.hint ?? null,
    link: e.link ?? null,
    facts: e.facts ?? {},
  };
}

/** `<Server Base URL>/settings/…`, or the page's name when the base URL is not set. */
export function pageLink(serverBaseUrl: string | null | undefined, path: string, name: string): string {
  return serverBaseUrl ? `${serverBaseUrl.replace(/\/+$/, "")}${path}` : name;
}
