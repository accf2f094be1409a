import "server-only";
import os from "node:os";
import { acquireMailToken, type MailRole, type MailToken } from "@/lib/microsoft/mail-token";
import { MicrosoftTokenError, NeedsReauthorizationError, NotConnectedError } from "@/lib/microsoft/errors/token-errors";
import { roleAccount, roleUsesMicrosoft } from "@/lib/microsoft/client-safe/mail-roles";
import { readSecret, type StoredEmailSettings } from "@/lib/settings/email-repository";
import { runSmtpCheck, type MailCheckResult, type SmtpAuth } from "@/lib/mail/smtp-check";
import { runImapCheck, type ImapAuth } from "@/lib/mail/imap-check";
import { FIELD } from "@/lib/mail/diagnose";
import { redact } from "@/lib/mail/redact";
import type { TlsExtras } from "@/lib/mail/connection";
import { CHECK_NAMES, type CardLink, type CheckCard, type CheckId } from "@/lib/mail/types";
import { formatUtc } from "@/lib/format/utc";
import {
  FIELD_LABELS,
  missing,
  roleRequirements,
  tokenRequirements,
  type Requirement,
  type RequiredField,
} from "@/lib/settings/client-safe/requirements";

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
  /** Called as each card is final (for progressive display). */
  onCard?: (card: CheckCard) => void;
};

export type EmailChecksResult = { ok: boolean; durationMs: number; cards: CheckCard[] };

type Missing = { field: RequiredField; label: string };

const need = (field: RequiredField): Missing => ({ field, label: FIELD_LABELS[field] });

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

type TokenOutcome = { token: MailToken; card: CheckCard } | { token: null; card: CheckCard };

function formatExpiry(d: Date | null): string {
  return d ? formatUtc(d, "minute") : "unknown";
}

async function tokenCheck(
  id: "smtp-token" | "imap-token",
  role: MailRole,
  account: string,
  acquire: (role: MailRole) => Promise<MailToken>,
  reused: boolean,
): Promise<TokenOutcome> {
  const started = performance.now();
  try {
    const token = await acquire(role);
    const ms = Math.round(performance.now() - started);
    const how = token.fromCache
      ? reused
        ? "reused from the cache (same account as SMTP: no second token request)"
        : "from the token cache"
      : "refreshed at Microsoft (new refresh token stored)";
    return {
      token,
      card: {
        id,
        name: CHECK_NAMES[id],
        status: "ok",
        ok: true,
        ms,
        phases: [{ name: "token", ms, ok: true, detail: token.fromCache ? "cache" : "refresh" }],
        summary: `Access token for ${token.signedInAs}, valid until ${formatExpiry(token.expiresOn)}: ${how}.`,
        serverResponse: null,
        hint: null,
        facts: {
          account: token.signedInAs,
          mailbox: token.mailbox,
          expires: formatExpiry(token.expiresOn),
          source: token.fromCache ? "cache" : "refreshed",
        },
      },
    };
  } catch (error) {
    const ms = Math.round(performance.now() - started);
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
        token: null,
        card: {
          ...base,
          summary: `Needs re-authorization: Microsoft can no longer renew the sign-in of ${account}.`,
          serverResponse: error.code ? `${error.code}: ${message}` : message,
          hint: `${message} Click Re-Authorize and sign in as ${account}.`,
          reauthorize: role,
        },
      };
    }
    if (error instanceof NotConnectedError) {
      return {
        token: null,
        card: {
          ...base,
          summary: `Not authorized: ${message}`,
          serverResponse: null,
          hint: `Click Authorize on Email Settings and sign in to Microsoft as ${account}.`,
          reauthorize: role,
        },
      };
    }
    if (error instanceof MicrosoftTokenError) {
      return {
        token: null,
        card: {
          ...base,
          summary: `Microsoft did not issue a token: ${error.translated.summary}`,
          serverResponse: error.translated.microsoftText ?? message,
          hint: error.translated.fix,
        },
      };
    }
    return {
      token: null,
      card: {
        ...base,
        summary: `Could not get a token for ${account}: ${message}`,
        serverResponse: message,
        hint: "Check the Microsoft settings and the network, then try again.",
      },
    };
  }
}

export function testMessage(input: {
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
  const emit = (card: CheckCard) => {
    input.onCard?.(card);
    return card;
  };
  const emitOutcome = (outcome: TokenOutcome) => {
    emit(outcome.card);
    return outcome;
  };
  const connectTimeoutMs = s.connectTimeoutMs || 10_000;
  const overallTimeoutMs = Math.max(s.overallTimeoutMs || 30_000, connectTimeoutMs);

  // ---- what each check needs -------------------------------------------------------------
  const smtpMicrosoft = s.smtpAuthType === "microsoft";
  const imapMicrosoft = roleUsesMicrosoft(s, "imap") || (!s.imapUser && s.imapAuthType === "microsoft");
  const smtpPassword = s.smtpAuthType === "password" ? secretOf(s, "smtpPassword") : null;
  const imapPassword = s.imapAuthType === "password" ? secretOf(s, "imapPassword") : null;
  const present = {
    smtpPassword: Boolean(smtpPassword?.value),
    imapPassword: Boolean(imapPassword?.value),
    msClientSecret: Boolean(s.msClientSecretEnc),
  };
  const missingFor = (requirements: Requirement[]) => missing(requirements, s, present).map((r) => need(r.field));
  const smtpMissing = missingFor(roleRequirements(s, "smtp"));
  const imapMissing = missingFor(roleRequirements(s, "imap"));

  const smtpAccount = smtpMicrosoft ? roleAccount(s, "smtp") : null;
  const imapAccount = imapMicrosoft ? roleAccount(s, "imap") : null;
  const sameAccount = Boolean(smtpAccount && imapAccount && smtpAccount === imapAccount);

  // ---- tokens ----------------------------------------------------------------------------
  let smtpToken: Promise<TokenOutcome | CheckCard> | null = null;
  if (smtpMicrosoft) {
    const tokenMissing = missingFor(tokenRequirements(s, "smtp"));
    smtpToken = tokenMissing.length
      ? Promise.resolve(emit(incompleteCard("smtp-token", tokenMissing, s.saved)))
      : tokenCheck("smtp-token", "smtp", smtpAccount!, acquire, false).then(emitOutcome);
  }
  let imapToken: Promise<TokenOutcome | CheckCard> | null = null;
  if (imapMicrosoft) {
    const tokenMissing = missingFor(tokenRequirements(s, "imap"));
    if (tokenMissing.length) imapToken = Promise.resolve(emit(incompleteCard("imap-token", tokenMissing, s.saved)));
    else if (sameAccount && smtpToken) {
      // Same account: wait for the SMTP token so this one is served from MSAL's cache (one refresh, one rotation).
      imapToken = smtpToken.then(() => tokenCheck("imap-token", "imap", imapAccount!, acquire, true)).then(emitOutcome);
    } else imapToken = tokenCheck("imap-token", "imap", imapAccount!, acquire, false).then(emitOutcome);
  }

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

  // ---- SMTP --------------------------------------------------------------------------------
  // The connection is set up while the token is fetched; AUTH waits for it.
  const smtpCard: Promise<CheckCard> = (async () => {
    if (smtpMissing.length) return emit(incompleteCard("smtp", smtpMissing, s.saved));
    if (smtpPassword?.unreadable)
      return emit(
        skippedCard(
          "smtp",
          "The stored SMTP password cannot be decrypted (the encryption key changed?).",
          "Enter the SMTP password again and save.",
        ),
      );
    if (smtpMicrosoft && !smtpToken)
      return emit(skippedCard("smtp", "Not run: no Microsoft token for the SMTP account.", null));
    let auth: SmtpAuth | Promise<SmtpAuth | null>;
    if (smtpMicrosoft) {
      auth = smtpToken!.then((outcome) =>
        "token" in outcome && outcome.token
          ? {
              kind: "xoauth2" as const,
              user: s.smtpUser!,
              accessToken: outcome.token.accessToken,
              account: outcome.token.signedInAs,
            }
          : null,
      );
    } else if (s.smtpAuthType === "password")
      auth = { kind: "password", user: s.smtpUser!, pass: smtpPassword!.value! };
    else auth = { kind: "none" };
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
    const result = await runSmtpCheck({
      host: s.smtpHost!,
      port: s.smtpPort!,
      security: smtpSecurity,
      auth,
      mailbox: s.smtpUser ?? from,
      from,
      to: input.admin.email,
      subject: message.subject,
      text: message.text,
      connectTimeoutMs,
      overallTimeoutMs,
      tls: input.tls,
    });
    if (!result)
      return emit(
        skippedCard("smtp", "Not run: there is no Microsoft token for the SMTP account (see the token card).", null),
      );
    return emit(fromResult("smtp", result));
  })();

  // ---- IMAP --------------------------------------------------------------------------------
  const imapCard: Promise<CheckCard> = (async () => {
    if (imapMissing.length) return emit(incompleteCard("imap", imapMissing, s.saved));
    if (imapPassword?.unreadable)
      return emit(
        skippedCard(
          "imap",
          "The stored IMAP password cannot be decrypted (the encryption key changed?).",
          "Enter the IMAP password again and save.",
        ),
      );
    if (imapMicrosoft && !imapToken)
      return emit(skippedCard("imap", "Not run: no Microsoft token for the IMAP account.", null));
    const auth: ImapAuth | Promise<ImapAuth | null> = imapMicrosoft
      ? imapToken!.then((outcome) =>
          "token" in outcome && outcome.token
            ? {
                kind: "xoauth2" as const,
                user: s.imapUser!,
                accessToken: outcome.token.accessToken,
                account: outcome.token.signedInAs,
              }
            : null,
        )
      : { kind: "password", user: s.imapUser!, pass: imapPassword!.value! };
    const result = await runImapCheck({
      host: s.imapHost!,
      port: s.imapPort!,
      security: imapSecurity,
      auth,
      mailbox: s.imapUser!,
      connectTimeoutMs,
      overallTimeoutMs,
      tls: input.tls,
    });
    if (!result)
      return emit(
        skippedCard("imap", "Not run: there is no Microsoft token for the IMAP account (see the token card).", null),
      );
    return emit(fromResult("imap", result));
  })();

  const settled = await Promise.all([
    smtpToken ? smtpToken.then((o) => ("card" in o ? o.card : o)) : null,
    smtpCard,
    imapToken ? imapToken.then((o) => ("card" in o ? o.card : o)) : null,
    imapCard,
  ]);
  const cards = settled.filter((c): c is CheckCard => c !== null);
  return { ok: cards.every((c) => c.ok), durationMs: Math.round(performance.now() - started), cards };
}
