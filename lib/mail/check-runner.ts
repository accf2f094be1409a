import "server-only";
import os from "node:os";
import {
  acquireMailToken,
  MicrosoftTokenError,
  NeedsReauthorizationError,
  NotConnectedError,
  type MailRole,
  type MailToken,
} from "@/lib/microsoft/mail-token";
import { roleAccount, roleUsesMicrosoft } from "@/lib/microsoft/client-safe/mail-roles";
import { readSecret, type StoredEmailSettings } from "@/lib/settings/email-repository";
import { runMailCheck, type MailCheckResult, type OAuthLogin } from "@/lib/mail/mail-check";
import { smtpCheck } from "@/lib/mail/smtp-check";
import { imapCheck } from "@/lib/mail/imap-check";
import { FIELD } from "@/lib/mail/diagnosis";
import { redact } from "@/lib/mail/redact";
import type { TlsExtras } from "@/lib/mail/connection";
import { CHECK_NAMES, type CardLink, type CheckCard, type CheckId } from "@/lib/mail/client-safe/types";
import { formatUtc } from "@/lib/format/utc";

/**
 * Test Email Configuration: Microsoft tokens first (one token request per distinct account: when
 * SMTP and IMAP sign in as the same account the second token comes from MSAL's cache), then SMTP
 * and IMAP in parallel, each bounded by the connect and overall timeouts from the settings.
 * Returns one card per check; never throws for a failing check.
 */

export type RunEmailChecksInput = {
  settings: StoredEmailSettings & { saved: boolean };
  /** The signed-in admin: the test message goes to this address. */
  admin: { email: string; name?: string | null };
  runId: string;
  serverBaseUrl?: string | null;
  /** Defaults to the real silent token acquisition (lib/microsoft/mail-token). */
  acquireToken?: (role: MailRole) => Promise<MailToken>;
  /** Extra CA for the mail servers (tests against the sandbox). */
  tls?: TlsExtras;
};

export type EmailChecksResult = { ok: boolean; durationMs: number; cards: CheckCard[] };

type Missing = { field: string; label: string };

const TOKEN_CHECK = { smtp: "smtp-token", imap: "imap-token" } as const satisfies Record<MailRole, CheckId>;

/** What a role's two cards need, read from the settings. */
type RoleNeeds = {
  microsoft: boolean;
  /** The account that signs in to Microsoft (Microsoft roles). */
  account: string | null;
  /** What the token card misses. */
  tokenMissing: Missing[];
  /** What the check misses. */
  missing: Missing[];
  /** The stored password (password authentication). */
  password: { value: string | null; unreadable: boolean } | null;
};

const LABELS: Record<string, string> = {
  smtpHost: "SMTP host",
  smtpPort: "SMTP port",
  smtpUser: "SMTP user",
  smtpFrom: "From address",
  smtpPassword: "SMTP password",
  imapUser: "Approval Reply Address",
  imapHost: "IMAP host",
  imapPort: "IMAP port",
  imapPassword: "IMAP password",
  msClientId: "Client Id",
  msTenantId: "Tenant Id",
  msClientSecret: "Client Secret",
  customAuthority: "Authority",
  customOutlookResource: "Outlook resource",
};

const need = (field: string): Missing => ({ field, label: LABELS[field] ?? field });

function secretOf(
  s: StoredEmailSettings,
  name: "smtpPassword" | "imapPassword",
): { value: string | null; unreadable: boolean } {
  try {
    return { value: readSecret(s, name), unreadable: false };
  } catch {
    return { value: null, unreadable: true };
  }
}

function microsoftMissing(s: StoredEmailSettings): Missing[] {
  const m: Missing[] = [];
  if (!s.msClientId) m.push(need("msClientId"));
  if (!s.msTenantId) m.push(need("msTenantId"));
  if (!s.msClientSecretEnc) m.push(need("msClientSecret"));
  if (s.msCloud === "custom") {
    if (!s.customAuthority) m.push(need("customAuthority"));
    if (!s.customOutlookResource) m.push(need("customOutlookResource"));
  }
  return m;
}

function incompleteCard(id: CheckId, missing: Missing[], saved: boolean): CheckCard {
  const list = missing.map((m) => m.label).join(", ");
  return {
    id,
    name: CHECK_NAMES[id],
    status: "skipped",
    ok: false,
    ms: 0,
    phases: [],
    summary: saved
      ? `Incomplete settings: ${list} ${missing.length === 1 ? "is" : "are"} missing.`
      : `Email Settings have not been saved yet: ${list} ${missing.length === 1 ? "is" : "are"} missing.`,
    serverResponse: null,
    hint: `Fill in ${list} on Email Settings and save, then test again.`,
    links: missing.map((m): CardLink => ({ label: m.label, href: FIELD(m.field) })),
  };
}

function skippedCard(id: CheckId, summary: string, hint: string | null): CheckCard {
  return {
    id,
    name: CHECK_NAMES[id],
    status: "skipped",
    ok: false,
    ms: 0,
    phases: [],
    summary,
    serverResponse: null,
    hint,
  };
}

function fromResult(id: CheckId, r: MailCheckResult): CheckCard {
  return { id, name: CHECK_NAMES[id], status: r.ok ? "ok" : "failed", ...r };
}

/** A token card, and the XOAUTH2 credentials when there is a token. */
type TokenStep = { card: CheckCard; credentials: { accessToken: string; signedIn: string } | null };

function formatExpiry(d: Date | null): string {
  return d ? formatUtc(d, "minute") : "unknown";
}

async function tokenCheck(
  role: MailRole,
  expected: string,
  acquire: (role: MailRole) => Promise<MailToken>,
  reused: boolean,
): Promise<TokenStep> {
  const id = TOKEN_CHECK[role];
  const started = performance.now();
  try {
    // the one place that reads a token's fields
    const { accessToken, account: signedIn, username: mailbox, expiresOn, fromCache } = await acquire(role);
    const ms = Math.round(performance.now() - started);
    const how = fromCache
      ? reused
        ? "reused from the cache (same account as SMTP: no second token request)"
        : "from the token cache"
      : "refreshed at Microsoft (new refresh token stored)";
    return {
      credentials: { accessToken, signedIn },
      card: {
        id,
        name: CHECK_NAMES[id],
        status: "ok",
        ok: true,
        ms,
        phases: [{ name: "token", ms, ok: true, detail: fromCache ? "cache" : "refresh" }],
        summary: `Access token for ${signedIn}, valid until ${formatExpiry(expiresOn)}: ${how}.`,
        serverResponse: null,
        hint: null,
        facts: {
          account: signedIn,
          mailbox,
          expires: formatExpiry(expiresOn),
          source: fromCache ? "cache" : "refreshed",
        },
      },
    };
  } catch (error) {
    return {
      credentials: null,
      card: tokenFailureCard(role, expected, error, Math.round(performance.now() - started)),
    };
  }
}

function tokenFailureCard(role: MailRole, account: string, error: unknown, ms: number): CheckCard {
  const id = TOKEN_CHECK[role];
  const base = {
    id,
    name: CHECK_NAMES[id],
    status: "failed" as const,
    ok: false,
    ms,
    phases: [{ name: "token" as const, ms, ok: false }],
  };
  const message = redact(error instanceof Error ? error.message : String(error));
  if (error instanceof NeedsReauthorizationError) {
    return {
      ...base,
      summary: `Needs re-authorization: Microsoft can no longer renew the sign-in of ${account}.`,
      serverResponse: error.code ? `${error.code}: ${message}` : message,
      hint: `${message} Click Re-Authorize and sign in as ${account}.`,
      reauthorize: role,
    };
  }
  if (error instanceof NotConnectedError) {
    return {
      ...base,
      summary: `Not authorized: ${message}`,
      serverResponse: null,
      hint: `Click Authorize on Email Settings and sign in to Microsoft as ${account}.`,
      reauthorize: role,
    };
  }
  if (error instanceof MicrosoftTokenError) {
    return {
      ...base,
      summary: `Microsoft did not issue a token: ${error.translated.summary}`,
      serverResponse: error.translated.microsoftText ?? message,
      hint: error.translated.fix,
    };
  }
  return {
    ...base,
    summary: `Could not get a token for ${account}: ${message}`,
    serverResponse: message,
    hint: "Check the Microsoft settings and the network, then try again.",
  };
}

/** The credentials a Microsoft role signs in with: null when there is no token (the check then does not run). */
function oauth(token: Promise<TokenStep>, user: string): Promise<OAuthLogin | null> {
  return token.then(({ credentials }) =>
    credentials ? { kind: "xoauth2", user, accessToken: credentials.accessToken, account: credentials.signedIn } : null,
  );
}

function testMessage(input: {
  runId: string;
  at: Date;
  admin: { email: string; name?: string | null };
  serverBaseUrl?: string | null;
  smtp: string;
}) {
  const time = input.at.toISOString().slice(11, 19);
  return {
    subject: `Mail Connect test message ${time} UTC (run ${input.runId})`,
    text: [
      "This is a test message from Mail Connect: sending mail works.",
      "",
      `Sent by: ${input.serverBaseUrl ?? "(Server Base URL not set)"}, instance ${os.hostname()} (process ${process.pid})`,
      `Requested by: ${input.admin.name ? `${input.admin.name} <${input.admin.email}>` : input.admin.email}, who clicked "Test Email Configuration" at ${input.at.toISOString()}`,
      `Through: ${input.smtp}`,
      `Run id: ${input.runId}`,
      "",
      "No reply is needed.",
    ].join("\n"),
  };
}

export async function runEmailChecks(input: RunEmailChecksInput): Promise<EmailChecksResult> {
  const started = performance.now();
  const s = input.settings;
  const acquire = input.acquireToken ?? ((role: MailRole) => acquireMailToken(role));
  const connectTimeoutMs = s.connectTimeoutMs || 10_000;
  const overallTimeoutMs = Math.max(s.overallTimeoutMs || 30_000, connectTimeoutMs);

  // ---- what each check needs -------------------------------------------------------------
  const smtpMicrosoft = s.smtpAuthType === "microsoft";
  const imapMicrosoft = roleUsesMicrosoft(s, "imap") || (!s.imapUser && s.imapAuthType === "microsoft");
  const msMissing = microsoftMissing(s);

  const smtpMissing: Missing[] = [];
  if (!s.smtpHost) smtpMissing.push(need("smtpHost"));
  if (!s.smtpPort) smtpMissing.push(need("smtpPort"));
  if (s.smtpAuthType !== "none" && !s.smtpUser) smtpMissing.push(need("smtpUser"));
  if (s.smtpAuthType === "none" && !s.smtpFrom) smtpMissing.push(need("smtpFrom"));
  const smtpPassword = s.smtpAuthType === "password" ? secretOf(s, "smtpPassword") : null;
  if (smtpPassword && !smtpPassword.value) smtpMissing.push(need("smtpPassword"));

  const imapMissing: Missing[] = [];
  if (!s.imapUser) imapMissing.push(need("imapUser"));
  if (!s.imapHost) imapMissing.push(need("imapHost"));
  if (!s.imapPort) imapMissing.push(need("imapPort"));
  const imapPassword = s.imapAuthType === "password" ? secretOf(s, "imapPassword") : null;
  if (imapPassword && !imapPassword.value) imapMissing.push(need("imapPassword"));

  const smtpAccount = smtpMicrosoft ? roleAccount(s, "smtp") : null;
  const imapAccount = imapMicrosoft ? roleAccount(s, "imap") : null;
  const sameAccount = Boolean(smtpAccount && imapAccount && smtpAccount === imapAccount);

  const needs: Record<MailRole, RoleNeeds> = {
    smtp: {
      microsoft: smtpMicrosoft,
      account: smtpAccount,
      tokenMissing: [...(s.smtpUser ? [] : [need("smtpUser")]), ...msMissing],
      missing: smtpMissing,
      password: smtpPassword,
    },
    imap: {
      microsoft: imapMicrosoft,
      account: imapAccount,
      tokenMissing: [...(s.imapUser ? [] : [need("imapUser")]), ...msMissing],
      missing: imapMissing,
      password: imapPassword,
    },
  };

  // ---- the protocol checks -----------------------------------------------------------------
  const at = new Date();
  const from = s.smtpFrom || s.smtpUser || "";
  const smtpSecurity = (["starttls", "tls", "none"].includes(s.smtpSecurity) ? s.smtpSecurity : "starttls") as
    | "starttls"
    | "tls"
    | "none";
  const imapSecurity = (["tls", "starttls", "none"].includes(s.imapSecurity) ? s.imapSecurity : "tls") as
    | "tls"
    | "starttls"
    | "none";
  const limits = { connectTimeoutMs, overallTimeoutMs, tls: input.tls };

  /** Runs the role's protocol check; `token` is the role's token card when it signs in with Microsoft. */
  const protocolCheck: Record<MailRole, (token: Promise<TokenStep> | null) => Promise<MailCheckResult | null>> = {
    smtp: (token) => {
      const how = smtpMicrosoft
        ? "Microsoft OAuth (XOAUTH2)"
        : s.smtpAuthType === "password"
          ? "a password"
          : "no authentication";
      const message = testMessage({
        runId: input.runId,
        at,
        admin: input.admin,
        serverBaseUrl: input.serverBaseUrl,
        smtp: `${s.smtpHost}:${s.smtpPort} (${smtpSecurity.toUpperCase()}), ${s.smtpAuthType === "none" ? "" : `signed in as ${s.smtpUser} `}with ${how}`,
      });
      return runMailCheck(
        smtpCheck({
          host: s.smtpHost!,
          port: s.smtpPort!,
          security: smtpSecurity,
          auth: token
            ? oauth(token, s.smtpUser!)
            : smtpPassword
              ? { kind: "password", user: s.smtpUser!, pass: smtpPassword.value! }
              : { kind: "none" },
          mailbox: s.smtpUser ?? from,
          from,
          to: input.admin.email,
          subject: message.subject,
          text: message.text,
          ...limits,
        }),
      );
    },
    imap: (token) =>
      runMailCheck(
        imapCheck({
          host: s.imapHost!,
          port: s.imapPort!,
          security: imapSecurity,
          auth: token ? oauth(token, s.imapUser!) : { kind: "password", user: s.imapUser!, pass: imapPassword!.value! },
          mailbox: s.imapUser!,
          ...limits,
        }),
      ),
  };

  /**
   * The role's token card (Microsoft roles), then its check: the connection is set up while the
   * token is fetched, and AUTH waits for it. `after`: a token request to wait for first, so this
   * role's token comes from MSAL's cache (same account: one refresh, one rotation).
   */
  const roleCheck = (role: MailRole, after: Promise<unknown> | null) => {
    const n = needs[role];
    let token: Promise<TokenStep> | null = null;
    if (n.microsoft) {
      if (n.tokenMissing.length)
        token = Promise.resolve({
          card: incompleteCard(TOKEN_CHECK[role], n.tokenMissing, s.saved),
          credentials: null,
        });
      else if (after) token = after.then(() => tokenCheck(role, n.account!, acquire, true));
      else token = tokenCheck(role, n.account!, acquire, false);
    }
    const check = (async (): Promise<CheckCard> => {
      const name = role.toUpperCase();
      if (n.missing.length) return incompleteCard(role, n.missing, s.saved);
      if (n.password?.unreadable)
        return skippedCard(
          role,
          `The stored ${name} password cannot be decrypted (the encryption key changed?).`,
          `Enter the ${name} password again and save.`,
        );
      const result = await protocolCheck[role](token);
      if (!result)
        return skippedCard(
          role,
          `Not run: there is no Microsoft token for the ${name} account (see the token card).`,
          null,
        );
      return fromResult(role, result);
    })();
    return { token, check };
  };

  const smtp = roleCheck("smtp", null);
  const imap = roleCheck("imap", sameAccount ? smtp.token : null);
  const settled = await Promise.all([
    smtp.token?.then((t) => t.card) ?? null,
    smtp.check,
    imap.token?.then((t) => t.card) ?? null,
    imap.check,
  ]);
  const cards = settled.filter((c): c is CheckCard => c !== null);
  return { ok: cards.every((c) => c.ok), durationMs: Math.round(performance.now() - started), cards };
}
