import "server-only";
import MailComposer from "nodemailer/lib/mail-composer";
import type { CardLink, Phase, PhaseName } from "@/lib/mail/client-safe/types";
import { FIELD } from "@/lib/mail/diagnosis";
import { type GraphSendOutcome, type GraphSendSettings, sendMailUrl, sendWithGraph } from "@/lib/mail/graph-send";
import type { MailCheckResult } from "@/lib/mail/mail-check";
import { redact } from "@/lib/mail/redact";
import type { TokenStep } from "@/lib/mail/token-check";
import { expectedSignIn, type RoleSettings, roleConnectionType } from "@/lib/microsoft/client-safe/mail-roles";
import { testMessage } from "@/lib/mail/test-message";
import {
  GRAPH_APPLICATION_PERMISSION,
  graphSendsShared,
  RBAC_FOR_APPLICATIONS_URL,
} from "@/lib/microsoft/client-safe/smtp-transport";

/**
 * Test Email Configuration's send step when the sending mailbox uses Microsoft Graph: the test message
 * built as MIME and posted to `sendMail` with the SMTP role's Graph token (instead of SMTP connect, AUTH
 * and DATA). Graph's 202 means "accepted by Microsoft", not delivered; its refusals get a diagnosis.
 */

export type GraphCheckInput = {
  settings: GraphSendSettings;
  token: Promise<TokenStep>;
  from: string;
  to: string;
  subject: string;
  text: string;
  ca?: string | string[];
  overallTimeoutMs: number;
  onPhase?: (phase: PhaseName) => void;
};

type Diagnosis = { summary: string; hint: string; links: CardLink[] };

/** What Graph's refusal means for these settings, and what to do. */
export function diagnoseGraph(outcome: Exclude<GraphSendOutcome, { ok: true }>, s: GraphSendSettings): Diagnosis {
  const mailbox = (s.smtpUser ?? "").trim();
  const app = roleConnectionType(s, "smtp") === "application";
  const answered = `Microsoft Graph answered ${outcome.status ?? ""} ${outcome.code ?? ""}`.trim();
  const userLink = { label: "SMTP user", href: FIELD("smtpUser") };
  const transportLink = { label: "Transport", href: FIELD("smtpTransport") };
  switch (outcome.code) {
    case "ErrorAccessDenied":
      return app
        ? {
            summary: `${answered}: the app may not send as ${mailbox}.`,
            hint: `Give the app Microsoft Graph's application permission ${GRAPH_APPLICATION_PERMISSION} with admin consent (Azure: API permissions → Microsoft Graph → Application permissions). If an Exchange RBAC for Applications scope or application access policy limits it, include ${mailbox}.`,
            links: [{ label: "RBAC for Applications", href: RBAC_FOR_APPLICATIONS_URL }, transportLink],
          }
        : graphSendsShared(s)
          ? {
              summary: `${answered}: ${s.smtpSignInAs} may not send as the shared mailbox ${mailbox}.`,
              hint: `Sending as another mailbox over Graph needs the delegated permission Mail.Send.Shared (Re-Authorize after adding it) and Send As (or Full Access) for ${s.smtpSignInAs} on ${mailbox} (Exchange admin center → Recipients → Mailboxes → ${mailbox} → Delegation).`,
              links: [userLink, { label: "Sign in as", href: FIELD("smtpSignInAs") }],
            }
          : {
              summary: `${answered}: the token may not send mail as ${mailbox}.`,
              hint: "The authorization needs Microsoft Graph's delegated permission Mail.Send: add it to the app registration (API permissions → Microsoft Graph → Delegated permissions → Mail.Send), then Re-Authorize.",
              links: [transportLink],
            };
    case "ErrorSendAsDenied":
      return {
        summary: `${answered}: the From address is not one the signed-in account may send as.`,
        hint: `Use ${mailbox} (or a mailbox it has Send As on) as the From address.`,
        links: [{ label: "From address", href: FIELD("smtpFrom") }, userLink],
      };
    case "MailboxNotEnabledForRESTAPI":
      return {
        summary: `${answered}: ${mailbox} has no Exchange Online mailbox that Graph can use (inactive, soft-deleted, or on-premises).`,
        hint: "Graph sendMail needs a licensed Exchange Online mailbox. Check the SMTP user, or send with SMTP instead.",
        links: [userLink, transportLink],
      };
    case "ErrorInvalidUser":
      return {
        summary: `${answered}: ${mailbox} is not a user or mailbox of the tenant.`,
        hint: "Check the SMTP user (its address or user principal name) and the Tenant Id.",
        links: [userLink, { label: "Tenant Id", href: FIELD("msTenantId") }],
      };
    case "InvalidAuthenticationToken":
      return {
        summary: `${answered}: Graph did not accept the token.`,
        hint: "The token is not for this Graph host (check the cloud, or the Custom cloud's Graph host) or it expired: test again, then Re-Authorize.",
        links: [{ label: "Graph host", href: FIELD("customGraphHost") }],
      };
    default:
      break;
  }
  if (outcome.kind === "network")
    return {
      summary: `Microsoft Graph did not answer: ${redact(outcome.message)}.`,
      hint: "Check that this server reaches the Graph host over HTTPS (port 443, any proxy), and the Custom cloud's Graph host.",
      links: [{ label: "Graph host", href: FIELD("customGraphHost") }],
    };
  if (outcome.kind === "too_large")
    return { summary: redact(outcome.message), hint: "Send it with SMTP, or make it smaller.", links: [] };
  if (outcome.status === 429 || (outcome.status ?? 0) >= 500)
    return {
      summary: `${answered}: Microsoft is busy${outcome.retryAfterSeconds !== null ? ` (Retry-After: ${outcome.retryAfterSeconds} s)` : ""}.`,
      hint: "A temporary refusal: test again in a moment.",
      links: [],
    };
  return { summary: `${answered}: ${redact(outcome.message)}`, hint: "See Graph's answer below.", links: [] };
}

export async function graphCheck(input: GraphCheckInput): Promise<MailCheckResult | null> {
  const phases: Phase[] = [];
  let mark = performance.now();
  const lap = (name: PhaseName, ok: boolean, detail?: string) => {
    const now = performance.now();
    phases.push({ name, ms: Math.round(now - mark), ok, ...(detail ? { detail } : {}) });
    mark = now;
  };
  const started = mark;
  input.onPhase?.("token wait");
  const step = await input.token;
  if (!step.credentials) return null;
  lap("token wait", true);
  input.onPhase?.("send");
  const raw = await new MailComposer({
    from: input.from,
    to: input.to,
    subject: input.subject,
    text: input.text,
  })
    .compile()
    .build();
  const url = sendMailUrl(input.settings);
  const outcome = await sendWithGraph({
    settings: input.settings,
    accessToken: step.credentials.accessToken,
    envelopeTo: [input.to],
    raw,
    ca: input.ca,
    timeoutMs: input.overallTimeoutMs,
  });
  lap("send", outcome.ok, `POST ${url}`);
  const ms = Math.round(performance.now() - started);
  const facts = { transport: "Microsoft Graph sendMail", mailbox: input.settings.smtpUser ?? "" };
  if (outcome.ok) {
    return {
      ok: true,
      ms,
      phases,
      summary: `Accepted by Microsoft: Graph answered 202 Accepted for the test message to ${input.to} (accepted for delivery, not yet delivered: look for it in the inbox).`,
      serverResponse: `HTTP 202 Accepted${outcome.requestId ? ` (request-id ${outcome.requestId})` : ""}`,
      hint: null,
      facts,
    };
  }
  const d = diagnoseGraph(outcome, input.settings);
  return {
    ok: false,
    ms,
    phases,
    summary: d.summary,
    serverResponse: redact(
      outcome.kind === "http"
        ? `HTTP ${outcome.status} ${outcome.code ?? ""}: ${outcome.message}${outcome.requestId ? ` (request-id ${outcome.requestId})` : ""}`
        : outcome.message,
    ),
    hint: d.hint,
    links: d.links,
    facts,
  };
}

/** Test Email Configuration's test message, sent with Graph (the runner's SMTP step when the sender uses Graph). */
export function graphTestSend(input: {
  settings: GraphSendSettings & RoleSettings;
  token: Promise<TokenStep>;
  runId: string;
  at: Date;
  admin: { email: string; name?: string | null };
  serverBaseUrl?: string | null;
  to?: string;
  from: string;
  tls?: { ca?: string | string[] };
  overallTimeoutMs: number;
  onPhase?: (phase: PhaseName) => void;
}): Promise<MailCheckResult | null> {
  const message = testMessage({
    runId: input.runId,
    at: input.at,
    admin: input.admin,
    serverBaseUrl: input.serverBaseUrl,
    smtp: `Microsoft Graph sendMail (${sendMailUrl(input.settings)}), signed in as ${expectedSignIn(input.settings, "smtp")}`,
  });
  return graphCheck({
    settings: input.settings,
    token: input.token,
    from: input.from,
    to: input.to ?? input.admin.email,
    subject: message.subject,
    text: message.text,
    ca: input.tls?.ca,
    overallTimeoutMs: input.overallTimeoutMs,
    onPhase: input.onPhase,
  });
}
