import { certificateDetails } from "@/lib/microsoft/certificate/certificate-details";
import { usesMicrosoft } from "@/lib/microsoft/client-safe/mail-roles";
import { describeInterval } from "@/lib/microsoft/errors/translate";

/**
 * When a credential stops working, and how close that is: the app registration's client secret (its
 * expiry date, entered with it from Azure), its certificate (`notAfter`), and each delegated
 * connection's refresh token (90 days without use, or sooner under a Conditional Access sign-in
 * frequency learned from AADSTS70043). One computation for the banner, the Email Settings checklist and
 * next step, and the health monitor's "entering the expiry window" alerts. `now` is the caller's clock.
 */

/** The warning windows, in days before the expiry: a credential is "in" the smallest one it has reached. */
export const EXPIRY_WINDOWS = [30, 7, 1] as const;
export type ExpiryWindow = null | (typeof EXPIRY_WINDOWS)[number] | "expired";

const DAY_MS = 86_400_000;
/** Microsoft: a refresh token not used for 90 days expires (AADSTS700082). */
export const REFRESH_TOKEN_IDLE_DAYS = 90;

/** The window `expiresAt` is in at `now`: "expired" once reached, else the smallest of 30 / 7 / 1 days it is within. */
export function expiryWindow(expiresAt: Date | null, now: Date): ExpiryWindow {
  if (!expiresAt) return null;
  const left = expiresAt.getTime() - now.getTime();
  if (left <= 0) return "expired";
  let window: ExpiryWindow = null;
  for (const days of EXPIRY_WINDOWS) if (left <= days * DAY_MS) window = days;
  return window;
}

const WINDOW_RANK: Record<string, number> = { null: 0, 30: 1, 7: 2, 1: 3, expired: 4 };

/**
 * Whether a credential entered a (nearer) window between two checks: null → 30, 30 → 7, 7 → 1, 1 → expired
 * (or jumped several at once). The monitor alerts once per window entered; a renewed credential (a window
 * further away, or none) is not an entry.
 */
export function enteredWindow(before: ExpiryWindow, now: ExpiryWindow): boolean {
  return WINDOW_RANK[String(now)]! > WINDOW_RANK[String(before)]!;
}

/** Whole days left (rounded up; 0 once expired). */
export function daysLeft(expiresAt: Date, now: Date): number {
  return Math.max(0, Math.ceil((expiresAt.getTime() - now.getTime()) / DAY_MS));
}

export type CredentialKind = "client-secret" | "certificate" | "refresh-token";

export type CredentialExpiry = {
  kind: CredentialKind;
  /** What expires, in words: "The client secret", "The certificate (thumbprint …)", "The Microsoft sign-in of a@b". */
  subject: string;
  /** The delegated connection's account, for a refresh token. */
  account?: string;
  expiresAt: Date;
  window: ExpiryWindow;
  daysLeft: number;
  /** Why it expires then (a refresh token: idle for 90 days, or the sign-in frequency). */
  reason: string;
  /** The renewal, step by step. */
  steps: string[];
};

export const SECRET_RENEWAL_STEPS = [
  "Azure portal → App registrations → your app → Certificates & secrets → Client secrets → New client secret.",
  "Copy the new secret's Value (shown only once) and its Expires date.",
  "Here: Email Settings → Microsoft OAuth → paste the Value into Client Secret, enter the Secret expires date, and Save.",
  "Run Test Email Configuration, then delete the old secret in Azure.",
];

export const CERTIFICATE_RENEWAL_STEPS = [
  "Here: Email Settings → Microsoft OAuth → Certificate → generate a new key and certificate (or upload one) and Save.",
  "Download the new .cer and upload it in the Azure portal → App registrations → your app → Certificates & secrets → Certificates → Upload certificate.",
  "Run Test Email Configuration, then delete the old certificate in Azure.",
];

function reauthorizeSteps(account: string): string[] {
  return [
    `Email Settings → Microsoft connections → Re-Authorize, and sign in as ${account}.`,
    "A token refresh (the health monitor's, or Test Email Configuration) also restarts the 90-day idle period; a sign-in frequency needs a new sign-in.",
  ];
}

/** The app registration settings the credential expiry reads. */
export type AppCredentialSettings = {
  smtpAuthType: string;
  imapAuthType: string;
  imapUser: string | null;
  msCredentialType: string;
  msClientSecretEnc: string | null;
  msClientSecretExpiresAt: Date | null;
  msCertificatePem: string | null;
};

/**
 * The app registration's credential in use and when it expires: the client secret's entered date, or the
 * certificate's notAfter. Null when Microsoft OAuth is not used, no credential is stored, or a secret
 * was saved without its date. The monitor asks this for its "entering the expiry window" event.
 */
export function appCredentialExpiry(s: AppCredentialSettings, now: Date): CredentialExpiry | null {
  if (!usesMicrosoft(s)) return null;
  if (s.msCredentialType === "certificate") {
    if (!s.msCertificatePem) return null;
    let notAfter: Date;
    let thumbprint: string;
    try {
      const details = certificateDetails(s.msCertificatePem, now);
      notAfter = new Date(details.notAfter);
      thumbprint = details.thumbprintSha256;
    } catch {
      return null;
    }
    return {
      kind: "certificate",
      subject: `The app registration's certificate (thumbprint ${thumbprint.slice(0, 12)}…)`,
      expiresAt: notAfter,
      window: expiryWindow(notAfter, now),
      daysLeft: daysLeft(notAfter, now),
      reason: "its validity ends (notAfter)",
      steps: CERTIFICATE_RENEWAL_STEPS,
    };
  }
  if (!s.msClientSecretEnc || !s.msClientSecretExpiresAt) return null;
  const at = s.msClientSecretExpiresAt;
  return {
    kind: "client-secret",
    subject: "The app registration's client secret",
    expiresAt: at,
    window: expiryWindow(at, now),
    daysLeft: daysLeft(at, now),
    reason: "the expiry date Azure gave it",
    steps: SECRET_RENEWAL_STEPS,
  };
}

/** What the refresh-token expiry reads of a delegated connection. */
export type RefreshTokenFacts = {
  account: string;
  authorizedAt: Date | string;
  /** When the refresh token was last redeemed (null: only at the authorization). */
  lastRefreshAt: Date | string | null;
  /** A Conditional Access sign-in frequency learned from AADSTS70043 (seconds), if any. */
  signInFrequencySeconds?: number | null;
};

/**
 * When a delegated connection's refresh token would stop working: 90 days after its last use (idle), or
 * the learned sign-in frequency after the sign-in, whichever comes first.
 */
export function refreshTokenExpiry(c: RefreshTokenFacts, now: Date): CredentialExpiry & { lastUsedAt: Date } {
  const authorizedAt = new Date(c.authorizedAt);
  const lastUsedAt = c.lastRefreshAt ? new Date(c.lastRefreshAt) : authorizedAt;
  const idle = new Date(lastUsedAt.getTime() + REFRESH_TOKEN_IDLE_DAYS * DAY_MS);
  const frequency = c.signInFrequencySeconds
    ? new Date(authorizedAt.getTime() + c.signInFrequencySeconds * 1000)
    : null;
  const bySignInFrequency = frequency !== null && frequency < idle;
  const expiresAt = bySignInFrequency ? frequency : idle;
  return {
    kind: "refresh-token",
    subject: `The Microsoft sign-in of ${c.account}`,
    account: c.account,
    expiresAt,
    lastUsedAt,
    window: expiryWindow(expiresAt, now),
    daysLeft: daysLeft(expiresAt, now),
    reason: bySignInFrequency
      ? `a Conditional Access sign-in frequency of ${describeInterval(c.signInFrequencySeconds ?? 0)} (learned from AADSTS70043)`
      : `${REFRESH_TOKEN_IDLE_DAYS} days without use`,
    steps: reauthorizeSteps(c.account),
  };
}

/** The warning's wording: "expires in 7 days (2026-12-08)" / "expired on 2026-12-01". */
export function describeExpiry(e: Pick<CredentialExpiry, "expiresAt" | "daysLeft" | "window">): string {
  const day = e.expiresAt.toISOString().slice(0, 10);
  if (e.window === "expired") return `expired on ${day}`;
  if (e.daysLeft <= 1) return `expires within a day (${e.expiresAt.toISOString().slice(0, 16).replace("T", " ")} UTC)`;
  return `expires in ${e.daysLeft} days (${day})`;
}

/** The banner's kind: an error from the last day on, a warning before. */
export function expirySeverity(window: ExpiryWindow): "warn" | "err" | null {
  if (window === null) return null;
  return window === "expired" || window === 1 ? "err" : "warn";
}

/** The delegated connections in use, as the role read model lists them. */
export type AccountsInUse = {
  accounts: { account: string; connection: (RefreshTokenFacts & { status: string }) | null }[];
};

/**
 * Every credential in use with a known end, soonest first: the app registration's credential and each
 * connected delegated account's refresh token (one needing re-authorization already has its own warning).
 */
export function credentialExpiries(s: AppCredentialSettings, status: AccountsInUse, now: Date): CredentialExpiry[] {
  const app = appCredentialExpiry(s, now);
  const tokens = status.accounts.flatMap(({ connection }) =>
    connection && connection.status === "connected" ? [refreshTokenExpiry(connection, now)] : [],
  );
  return [...(app ? [app] : []), ...tokens].sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime());
}

/** The credentials that are in a warning window (30, 7 or 1 days, or expired). */
export function expiryWarnings(s: AppCredentialSettings, status: AccountsInUse, now: Date): CredentialExpiry[] {
  return credentialExpiries(s, status, now).filter((e) => e.window !== null);
}
