import "server-only";
import { redact } from "@/lib/mail/redact";
import { MicrosoftTokenError, NeedsReauthorizationError, NotConnectedError } from "@/lib/microsoft/errors/token-errors";

/**
 * What the relay answers its client for each way forwarding to Microsoft can end: Microsoft's own reply
 * (a permanent refusal as it is, a temporary one as 451), or why Microsoft could not be asked (no
 * token, the sign-in refused, unreachable) as a temporary 451/454.
 */

/** Microsoft's answer to one message, or why it could not be asked. */
export type UpstreamReply = {
  /** Microsoft took the message (250 at the end of DATA). */
  accepted: boolean;
  /** The SMTP reply code for the relay's client. */
  code: number;
  /** The reply text after the code (Microsoft's own when it answered). */
  text: string;
  /** Microsoft itself answered (as opposed to: unreachable, no token, sign-in refused). */
  fromMicrosoft: boolean;
  /** For the connection card: why forwarding failed (null when Microsoft accepted or refused the message itself). */
  upstreamProblem: string | null;
  /** Recipients Microsoft refused while taking the message for the others. */
  refusedRecipients: string[];
};

export type SmtpError = Error & { code?: string; responseCode?: number; response?: string; command?: string };

const TEMPORARY_TOKEN = "4.7.0";

/** "250 2.0.0 OK <id>" → { code: 250, text: "2.0.0 OK <id>" } (multi-line replies keep their last line). */
export function splitReply(line: string): { code: number; text: string } {
  const last = line.trim().split(/\r?\n/).pop() ?? "";
  const m = /^(\d{3})[ -]?(.*)$/s.exec(last);
  return m ? { code: Number(m[1]), text: m[2].trim() } : { code: 451, text: last };
}

export function temporary(text: string, problem: string): UpstreamReply {
  return { accepted: false, code: 451, text, fromMicrosoft: false, upstreamProblem: problem, refusedRecipients: [] };
}

export function openFailureReply(error: unknown, t: { host: string; port: number }): UpstreamReply {
  const where = `${t.host}:${t.port}`;
  if (error instanceof NeedsReauthorizationError || error instanceof NotConnectedError) {
    const why = redact(error.message);
    return {
      ...temporary(
        `${TEMPORARY_TOKEN} The Microsoft connection needs re-authorization: ${why}`,
        `Needs re-authorization: ${why}`,
      ),
      code: 454,
    };
  }
  if (error instanceof MicrosoftTokenError) {
    const why = redact(error.translated.summary);
    return {
      ...temporary(`${TEMPORARY_TOKEN} Microsoft did not issue a token: ${why}`, `No token: ${why}`),
      code: 454,
    };
  }
  const e = error as SmtpError & { phase?: string };
  if (e.phase === "auth" && e.response) {
    const reply = splitReply(e.response);
    return {
      ...temporary(
        `${TEMPORARY_TOKEN} Microsoft refused the relay's sign-in (${reply.code} ${reply.text}); an administrator must fix the connection on Email Settings.`,
        `Microsoft refused the sign-in: ${reply.code} ${reply.text}`,
      ),
      code: 454,
    };
  }
  const why = redact(e.response ?? `${e.code ? `${e.code}: ` : ""}${e.message}`);
  return temporary(`4.4.1 Microsoft is unreachable (${where}): ${why}`, `Microsoft unreachable (${where}): ${why}`);
}

/**
 * Microsoft's refusal for the client: a permanent one passes through as it is; a temporary one
 * (throttling 4.3.2 / 4.7.x, 421 before it closes) becomes 451 with Microsoft's text, so the client
 * keeps its session and retries.
 */
export function microsoftRefusal(response: string): UpstreamReply {
  const reply = splitReply(response);
  const temp = reply.code >= 400 && reply.code < 500;
  return {
    accepted: false,
    code: temp ? 451 : reply.code,
    text: temp && !/^4\.\d+\.\d+/.test(reply.text) ? `4.3.0 ${reply.text}` : reply.text,
    fromMicrosoft: true,
    upstreamProblem: temp ? `Microsoft answered ${reply.code} ${reply.text}` : null,
    refusedRecipients: [],
  };
}
