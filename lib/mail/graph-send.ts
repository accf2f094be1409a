import "server-only";
import addressparser from "nodemailer/lib/addressparser";
import { resolveCloud } from "@/lib/microsoft/client-safe/clouds";
import type { TransportSettings } from "@/lib/microsoft/client-safe/smtp-transport";
import { graphErrorOf, graphFetch, GraphNetworkError } from "@/lib/microsoft/graph-client";

/**
 * Sending one message with Microsoft Graph: `POST <graph>/v1.0/users/{mailbox}/sendMail` with the raw
 * MIME, base64-encoded, as `Content-Type: text/plain` (Graph: "Send Outlook messages in MIME format").
 * Graph reads the recipients from the MIME headers, so envelope recipients that no To/Cc/Bcc header
 * names (Bcc) are added as a `Bcc:` header first. Graph's request limit is 4 MB: a message whose base64
 * would exceed it (about 3 MB of MIME) is refused before posting. `202 Accepted` means Microsoft took
 * the message for delivery — "accepted by Microsoft", not "delivered".
 */

/** Graph's request size limit (sendMail): 4 MB. */
export const GRAPH_MAX_REQUEST_BYTES = 4 * 1024 * 1024;

/** The largest MIME message whose base64 fits the request limit (about 3 MB). */
export const GRAPH_MAX_MIME_BYTES = Math.floor(GRAPH_MAX_REQUEST_BYTES / 4) * 3;

export type GraphSendSettings = TransportSettings & {
  msCloud: string;
  customAuthority: string | null;
  customOutlookResource: string | null;
  customGraphHost?: string | null;
};

export type GraphSendOutcome =
  | { ok: true; status: 202; requestId: string | null }
  | {
      ok: false;
      /** too_large: refused before posting; http: Graph answered an error; network: no answer. */
      kind: "too_large" | "http" | "network";
      status: number | null;
      /** Graph's error code (`ErrorAccessDenied`, …) or the network error's code. */
      code: string | null;
      message: string;
      retryAfterSeconds: number | null;
      requestId: string | null;
    };

/** The mailbox the request names: the sending mailbox (a shared From: its own address, with Mail.Send.Shared). */
export function graphMailbox(s: GraphSendSettings): string {
  return (s.smtpUser ?? "").trim();
}

/** `<graph>/v1.0/users/{mailbox}/sendMail` of the saved cloud. */
export function sendMailUrl(s: GraphSendSettings): string {
  const endpoint = resolveCloud(s).graphEndpoint.replace(/\/+$/, "");
  return `${endpoint}/v1.0/users/${encodeURIComponent(graphMailbox(s))}/sendMail`;
}

function headerEnd(raw: Buffer): number {
  const text = raw.subarray(0, Math.min(raw.length, 256 * 1024)).toString("latin1");
  const m = /\r?\n\r?\n/.exec(text);
  return m ? m.index + m[0].length : -1;
}

type Parsed = { address?: string; group?: Parsed[] };
function flatten(list: Parsed[]): string[] {
  return list.flatMap((a) => (a.group ? flatten(a.group) : a.address ? [a.address.toLowerCase()] : []));
}

/** The addresses of the To, Cc and Bcc headers (folded lines joined), lower-cased. */
export function headerRecipients(raw: Buffer): string[] {
  const end = headerEnd(raw);
  const header = raw
    .subarray(0, end === -1 ? raw.length : end)
    .toString("latin1")
    .replace(/\r?\n[ \t]+/g, " ");
  return header
    .split(/\r?\n/)
    .map((line) => /^(?:to|cc|bcc)\s*:(.*)$/i.exec(line)?.[1])
    .filter((v): v is string => v !== undefined)
    .flatMap((v) => flatten(addressparser(v) as Parsed[]));
}

/** The message with a `Bcc:` header naming the envelope recipients no To/Cc/Bcc header names (unchanged when none). */
export function withEnvelopeBcc(raw: Buffer, envelopeTo: readonly string[]): Buffer {
  const named = new Set(headerRecipients(raw));
  const bcc = [...new Set(envelopeTo.map((a) => a.toLowerCase()))].filter((a) => !named.has(a));
  if (bcc.length === 0) return raw;
  return Buffer.concat([Buffer.from(`Bcc: ${bcc.join(", ")}\r\n`, "latin1"), raw]);
}

function retryAfter(value: string | string[] | undefined): number | null {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return null;
  const n = Number(v);
  if (Number.isFinite(n)) return Math.max(0, Math.round(n));
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, Math.round((at - Date.now()) / 1000));
}

/** Posts the message; never throws for Graph's or the network's answers. */
export async function sendWithGraph(input: {
  settings: GraphSendSettings;
  accessToken: string;
  envelopeTo: readonly string[];
  raw: Buffer;
  ca?: string | string[];
  timeoutMs?: number;
}): Promise<GraphSendOutcome> {
  const mime = withEnvelopeBcc(input.raw, input.envelopeTo);
  if (mime.length > GRAPH_MAX_MIME_BYTES) {
    return {
      ok: false,
      kind: "too_large",
      status: null,
      code: "ErrorMessageSizeExceeded",
      message: `The message is ${mime.length} bytes: Microsoft Graph accepts requests up to 4 MB, about ${GRAPH_MAX_MIME_BYTES} bytes of message once base64-encoded. Send it with SMTP, or make it smaller.`,
      retryAfterSeconds: null,
      requestId: null,
    };
  }
  let answer: Awaited<ReturnType<typeof graphFetch>>;
  try {
    answer = await graphFetch(sendMailUrl(input.settings), {
      method: "POST",
      headers: {
        authorization: `Bearer ${input.accessToken}`,
        "content-type": "text/plain",
        "client-request-id": crypto.randomUUID(),
      },
      body: mime.toString("base64"),
      ca: input.ca,
      timeoutMs: input.timeoutMs,
    });
  } catch (error) {
    const e = error instanceof GraphNetworkError ? error : new GraphNetworkError(String(error), "ERROR");
    return {
      ok: false,
      kind: "network",
      status: null,
      code: e.code,
      message: e.message,
      retryAfterSeconds: null,
      requestId: null,
    };
  }
  const requestId = typeof answer.headers["request-id"] === "string" ? answer.headers["request-id"] : null;
  if (answer.status === 202) return { ok: true, status: 202, requestId };
  const e = graphErrorOf(answer.body);
  return {
    ok: false,
    kind: "http",
    status: answer.status,
    code: e?.code ?? null,
    message: e?.message || answer.body.slice(0, 200) || `HTTP ${answer.status}`,
    retryAfterSeconds: retryAfter(answer.headers["retry-after"]),
    requestId,
  };
}
