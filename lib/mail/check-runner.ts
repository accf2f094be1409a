import "server-only";
import { acquireMailToken, type MailToken } from "@/lib/microsoft/mail-token";
import {
  expectedSignIn,
  type MailRole,
  roleAccount,
  roleConnectionType,
  roleMailbox,
  roleUsesMicrosoft,
} from "@/lib/microsoft/client-safe/mail-roles";
import { readSecret, type StoredEmailSettings } from "@/lib/settings/email-repository";
import { runMailCheck, type MailCheckResult } from "@/lib/mail/mail-check";
import { cancelledCard, fromResult, incompleteCard, type Missing, need, skippedCard } from "@/lib/mail/check-cards";
import { smtpCheck } from "@/lib/mail/smtp-check";
import { imapCheck } from "@/lib/mail/imap-check";
import { imapAuthUser } from "@/lib/mail/imap-identity";
import { oauthLogin, TOKEN_CHECK, tokenCheck, type TokenStep } from "@/lib/mail/token-check";
import { testMessage } from "@/lib/mail/test-message";
import { graphTestSend } from "@/lib/mail/graph-check";
import { graphProbe } from "@/lib/mail/graph-probe";
import { usesGraph } from "@/lib/microsoft/client-safe/smtp-transport";
import type { TlsExtras } from "@/lib/mail/connection";
import type { CheckCard, CheckId, CheckProgress } from "@/lib/mail/client-safe/types";
import {
  missing,
  roleRequirements,
  tokenRequirements,
  unencryptedCredentialProblem,
  type Requirement,
} from "@/lib/settings/client-safe/requirements";

/**
 * Test Email Configuration: for each mailbox role (SMTP and IMAP, in parallel) its Microsoft token
 * card, then its check, each bounded by the connect and overall timeouts from the settings. One token
 * request per distinct account: when SMTP and IMAP sign in as the same account the IMAP token comes
 * from MSAL's cache after the SMTP one. Returns one card per check; never throws for a failing check.
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
  /** Who receives the test message (default: the admin). */
  to?: string;
  /** Live progress: each card as soon as it is final, and each phase as it begins. */
  onCard?: (card: CheckCard) => void;
  onPhase?: (progress: CheckProgress) => void;
  /** Cancel: the checks still running end at once as "cancelled" cards (their connections are closed). */
  signal?: AbortSignal;
  /** "probe" (the health monitor): SMTP stops after AUTH, before MAIL FROM; nothing is sent. Default "send". */
  mode?: "send" | "probe";
  /** The roles to check (default both). */
  roles?: MailRole[];
};

export type EmailChecksResult = { ok: boolean; durationMs: number; cards: CheckCard[] };

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

export async function runEmailChecks(input: RunEmailChecksInput): Promise<EmailChecksResult> {
  const started = performance.now();
  const s = input.settings;
  const connectTimeoutMs = s.connectTimeoutMs || 10_000;
  const overallTimeoutMs = Math.max(s.overallTimeoutMs || 30_000, connectTimeoutMs);
  // The token cards give up at the overall timeout too, whatever Microsoft does (a late answer is still saved).
  const giveUpAt = { at: Date.now() + overallTimeoutMs, ms: overallTimeoutMs };
  // A sender on Microsoft Graph: its token card asks for the Graph token, its check posts to sendMail.
  const graph = usesGraph(s);
  const acquire =
    input.acquireToken ?? ((role: MailRole) => acquireMailToken(role, { giveUpAt, graph: graph && role === "smtp" }));

  // ---- what each check needs -------------------------------------------------------------
  const smtpMicrosoft = s.smtpAuthType === "microsoft";
  const imapMicrosoft = roleUsesMicrosoft(s, "imap") || (!s.imapUser && s.imapAuthType === "microsoft");
  const smtpPassword = s.smtpAuthType === "password" ? secretOf(s, "smtpPassword") : null;
  const imapPassword = s.imapAuthType === "password" ? secretOf(s, "imapPassword") : null;
  const present = {
    smtpPassword: Boolean(smtpPassword?.value),
    imapPassword: Boolean(imapPassword?.value),
    msClientSecret: Boolean(s.msClientSecretEnc),
    msCertificate: Boolean(s.msCertificateKeyEnc && s.msCertificatePem),
  };
  const missingFor = (requirements: Requirement[]) => missing(requirements, s, present).map((r) => need(r.field));

  // Application roles have no account: their token is the app's (one for both roles, from MSAL's cache).
  const smtpApp = smtpMicrosoft && roleConnectionType(s, "smtp") === "application";
  const imapApp = imapMicrosoft && roleConnectionType(s, "imap") === "application";
  const smtpAccount = smtpMicrosoft ? (smtpApp ? roleMailbox(s, "smtp") : roleAccount(s, "smtp")) : null;
  const imapAccount = imapMicrosoft ? (imapApp ? roleMailbox(s, "imap") : roleAccount(s, "imap")) : null;
  // (a Graph token is for another resource: the IMAP token is not in MSAL's cache after it)
  const sameAccount = graph
    ? false
    : smtpApp || imapApp
      ? smtpApp && imapApp
      : Boolean(smtpAccount && imapAccount && smtpAccount === imapAccount);

  const needs: Record<MailRole, RoleNeeds> = {
    smtp: {
      microsoft: smtpMicrosoft,
      account: smtpAccount,
      tokenMissing: missingFor(tokenRequirements(s, "smtp")),
      missing: missingFor(roleRequirements(s, "smtp")),
      password: smtpPassword,
    },
    imap: {
      microsoft: imapMicrosoft,
      account: imapAccount,
      tokenMissing: missingFor(tokenRequirements(s, "imap")),
      missing: missingFor(roleRequirements(s, "imap")),
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
  const limits = { connectTimeoutMs, overallTimeoutMs, tls: input.tls, signal: input.signal };
  const secs = (ms: number) => `${Math.round(ms / 100) / 10} s`;
  const progress = (check: CheckId) => (phase: CheckProgress["phase"]) =>
    input.onPhase?.(
      check.endsWith("-token")
        ? {
            check,
            phase,
            timeoutMs: overallTimeoutMs,
            timeoutLabel: `overall timeout ${secs(overallTimeoutMs)} for Microsoft's answer`,
          }
        : {
            check,
            phase,
            timeoutMs: overallTimeoutMs,
            timeoutLabel: `overall timeout ${secs(overallTimeoutMs)}, connect ${secs(connectTimeoutMs)}`,
          },
    );

  /** Runs the role's protocol check; `token` is the role's token card when it signs in with Microsoft. */
  const protocolCheck: Record<MailRole, (token: Promise<TokenStep> | null) => Promise<MailCheckResult | null>> = {
    smtp: (token) => {
      if (graph && token)
        return input.mode === "probe"
          ? graphProbe({ settings: s, token })
          : graphTestSend({ ...input, settings: s, token, from, at, overallTimeoutMs, onPhase: progress("smtp") });
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
        smtp: `${s.smtpHost}:${s.smtpPort} (${smtpSecurity.toUpperCase()}), ${s.smtpAuthType === "none" ? "" : `signed in as ${smtpMicrosoft ? expectedSignIn(s, "smtp") : s.smtpUser} `}with ${how}`,
      });
      return runMailCheck(
        smtpCheck({
          host: s.smtpHost!,
          port: s.smtpPort!,
          security: smtpSecurity,
          auth: token
            ? oauthLogin(token) // as the signed-in account; the SMTP user is the sender
            : smtpPassword
              ? { kind: "password", user: s.smtpUser!, pass: smtpPassword.value! }
              : { kind: "none" },
          mailbox: s.smtpUser ?? from,
          from,
          to: input.to ?? input.admin.email,
          subject: message.subject,
          text: message.text,
          ...limits,
          onPhase: progress("smtp"),
          probe: input.mode === "probe",
        }),
      );
    },
    imap: (token) =>
      runMailCheck(
        imapCheck({
          host: s.imapHost!,
          port: s.imapPort!,
          security: imapSecurity,
          auth: token
            ? oauthLogin(token, imapAuthUser(s)) // the mailbox opened (lib/mail/imap-identity.ts)
            : { kind: "password", user: s.imapUser!, pass: imapPassword!.value! },
          mailbox: s.imapUser!,
          ...limits,
          onPhase: progress("imap"),
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
      else {
        const tokenId = TOKEN_CHECK[role];
        const fetch = (reused: boolean) => {
          progress(tokenId)("token");
          return tokenCheck(role, n.account!, acquire, reused, roleConnectionType(s, role));
        };
        token = after ? after.then(() => fetch(true)) : fetch(false);
      }
    }
    const check = (async (): Promise<CheckCard> => {
      const name = role.toUpperCase();
      if (n.missing.length) return incompleteCard(role, n.missing, s.saved);
      const unencrypted = unencryptedCredentialProblem(s, role);
      if (unencrypted)
        return skippedCard(role, `Refused: ${unencrypted}.`, "Change the security on Email Settings and save.");
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

  const wanted = (role: MailRole) => !input.roles || input.roles.includes(role);
  const none = { token: null, check: undefined };
  const smtp = wanted("smtp") ? roleCheck("smtp", null) : none;
  const imap = wanted("imap") ? roleCheck("imap", sameAccount ? smtp.token : null) : none;
  const cancelled = new Promise<"cancelled">((resolve) => {
    if (input.signal?.aborted) resolve("cancelled");
    input.signal?.addEventListener("abort", () => resolve("cancelled"), { once: true });
  });
  /** The card as soon as it is final: its own, or "cancelled" when Cancel comes first. */
  const final = async (id: CheckId, card: Promise<CheckCard> | undefined): Promise<CheckCard | null> => {
    if (!card) return null;
    const first = await Promise.race([card, cancelled]);
    const c = first === "cancelled" ? cancelledCard(id) : first;
    input.onCard?.(c);
    return c;
  };
  const settled = await Promise.all([
    final(
      TOKEN_CHECK.smtp,
      smtp.token?.then((t) => t.card),
    ),
    final("smtp", smtp.check),
    final(
      TOKEN_CHECK.imap,
      imap.token?.then((t) => t.card),
    ),
    final("imap", imap.check),
  ]);
  const cards = settled.filter((c): c is CheckCard => c !== null);
  return { ok: cards.every((c) => c.ok), durationMs: Math.round(performance.now() - started), cards };
}
