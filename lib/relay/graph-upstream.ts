import "server-only";
import { sendWithGraph, type GraphSendOutcome } from "@/lib/mail/graph-send";
import { redact } from "@/lib/mail/redact";
import { acquireMailToken, type MailToken } from "@/lib/microsoft/mail-token";
import { MicrosoftTokenError, NeedsReauthorizationError, NotConnectedError } from "@/lib/microsoft/errors/token-errors";
import type { StoredEmailSettings } from "@/lib/settings/email-repository";
import type { Envelope, UpstreamReply } from "@/lib/relay/upstream";

/**
 * The relay's forwarding when the sending mailbox uses Microsoft Graph: a Graph token from the stored
 * connection (the same lease and refresh as every token), one `sendMail` per message, and Graph's
 * answer as an SMTP reply for the client:
 * - 202 → 250 "accepted by Microsoft (Graph 202)" — Microsoft took it for delivery, not "delivered";
 * - the message over Graph's 4 MB request → 552 5.3.4 with the reason, before posting;
 * - 401 / a token that needs re-authorization → 454 4.7.0 (temporary: the client keeps the message);
 * - 403 (ErrorAccessDenied, ErrorSendAsDenied) → 550 5.7.1 with Graph's code; 404 (ErrorInvalidUser,
 *   MailboxNotEnabledForRESTAPI) → 550 5.1.1; 413 → 552; other 4xx → 554 5.6.0;
 * - 429, 5xx, network → 451 (temporary), Retry-After named.
 */

export type GraphUpstreamOptions = {
  ca?: string | string[];
  /** Default: the SMTP role's Graph token. */
  token?: (settings: StoredEmailSettings) => Promise<MailToken>;
};

function reply(code: number, text: string, fromMicrosoft: boolean, problem: string | null): UpstreamReply {
  return {
    accepted: code === 250,
    code,
    text,
    fromMicrosoft,
    upstreamProblem: problem,
    refusedRecipients: [],
  };
}

function tokenFailure(error: unknown): UpstreamReply | null {
  if (error instanceof NeedsReauthorizationError || error instanceof NotConnectedError) {
    const why = redact(error.message);
    return reply(
      454,
      `4.7.0 The Microsoft connection needs re-authorization: ${why}`,
      false,
      `Needs re-authorization: ${why}`,
    );
  }
  if (error instanceof MicrosoftTokenError) {
    const why = redact(error.translated.summary);
    return reply(454, `4.7.0 Microsoft did not issue a Graph token: ${why}`, false, `No token: ${why}`);
  }
  return null;
}

/** Graph's answer (or why there is none) as the relay's SMTP reply. */
export function graphReply(outcome: GraphSendOutcome): UpstreamReply {
  if (outcome.ok) {
    const id = outcome.requestId ? ` request-id ${outcome.requestId}` : "";
    return reply(250, `2.0.0 Accepted by Microsoft (Graph 202 Accepted${id}); delivery is Microsoft's`, true, null);
  }
  const what = `${outcome.status ?? ""} ${outcome.code ?? ""}`.trim();
  const said = redact(outcome.message);
  if (outcome.kind === "too_large") return reply(552, `5.3.4 ${said}`, false, null);
  if (outcome.kind === "network")
    return reply(451, `4.4.1 Microsoft Graph is unreachable: ${said}`, false, `Graph unreachable: ${said}`);
  const status = outcome.status ?? 0;
  if (status === 429 || status >= 500) {
    const retry = outcome.retryAfterSeconds !== null ? ` (Retry-After: ${outcome.retryAfterSeconds} s)` : "";
    return reply(
      451,
      `4.7.0 Microsoft Graph answered ${what}${retry}: ${said}`,
      true,
      `Graph answered ${what}${retry}`,
    );
  }
  if (status === 401)
    return reply(
      454,
      `4.7.0 Microsoft Graph refused the token (${what}): ${said}`,
      true,
      `Graph refused the token: ${what}`,
    );
  if (status === 403) return reply(550, `5.7.1 Microsoft Graph refused (${what}): ${said}`, true, null);
  if (status === 404) return reply(550, `5.1.1 Microsoft Graph refused (${what}): ${said}`, true, null);
  if (status === 413) return reply(552, `5.3.4 Microsoft Graph refused (${what}): ${said}`, true, null);
  return reply(554, `5.6.0 Microsoft Graph refused (${what}): ${said}`, true, null);
}

export async function sendThroughGraph(
  envelope: Envelope,
  raw: Buffer,
  settings: StoredEmailSettings,
  options: GraphUpstreamOptions = {},
): Promise<UpstreamReply> {
  const overallTimeoutMs = settings.overallTimeoutMs || 30_000;
  let token: MailToken;
  try {
    token = await (
      options.token ??
      (() =>
        acquireMailToken("smtp", {
          graph: true,
          giveUpAt: { at: Date.now() + overallTimeoutMs, ms: overallTimeoutMs },
        }))
    )(settings);
  } catch (error) {
    const failed = tokenFailure(error);
    if (failed) return failed;
    const why = redact(error instanceof Error ? error.message : String(error));
    return reply(451, `4.3.0 No Microsoft Graph token: ${why}`, false, `No Graph token: ${why}`);
  }
  const outcome = await sendWithGraph({
    settings,
    accessToken: token.accessToken,
    envelopeTo: envelope.to,
    raw,
    ca: options.ca,
    timeoutMs: overallTimeoutMs,
  });
  return graphReply(outcome);
}
