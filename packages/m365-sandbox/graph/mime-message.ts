import addressparser from "nodemailer/lib/addressparser";
import MailComposer from "nodemailer/lib/mail-composer";
import { parseHeaderFields, splitHeader } from "../imap/mime";

/**
 * The message of a Graph `sendMail` request: its raw MIME (the `text/plain` base64 body), or one built
 * from the JSON `message` resource; the recipients Graph reads from it (To, Cc, Bcc), and the copy
 * that is delivered (without its Bcc header).
 */

export type ParsedMessage = { raw: Buffer; from: string[]; recipients: string[] };

function addresses(fields: ReturnType<typeof parseHeaderFields>, name: string): string[] {
  return fields
    .filter((f) => f.name.toLowerCase() === name)
    .flatMap((f) => addressparser(f.value, { flatten: true }).map((a) => a.address.toLowerCase()))
    .filter(Boolean);
}

/** From:, To/Cc/Bcc of a raw message. */
export function readMessage(raw: Buffer): ParsedMessage {
  const fields = parseHeaderFields(splitHeader(raw).header);
  const recipients = [...new Set(["to", "cc", "bcc"].flatMap((n) => addresses(fields, n)))];
  return { raw, from: addresses(fields, "from"), recipients };
}

/** The message without its Bcc header fields (what recipients receive). */
export function withoutBcc(raw: Buffer): Buffer {
  const { header, body } = splitHeader(raw);
  const fields = parseHeaderFields(header);
  const kept = fields.filter((f) => f.name.toLowerCase() !== "bcc").map((f) => f.raw);
  const separator = header.subarray(fields.reduce((n, f) => n + f.raw.length, 0));
  return Buffer.concat([...kept, separator, body]);
}

/** Adds `From: <mailbox>` to a message that has none (Graph sends it as the mailbox of the request). */
export function withFrom(raw: Buffer, mailbox: string): Buffer {
  return Buffer.concat([Buffer.from(`From: ${mailbox}\r\n`), raw]);
}

/** The text/plain body: base64 of a MIME message; null when it is not one. */
export function decodeMimeBody(body: string): Buffer | null {
  const compact = body.replace(/\s+/g, "");
  if (!compact || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact) || compact.length % 4 === 1) return null;
  const raw = Buffer.from(compact, "base64");
  const { header } = splitHeader(raw);
  return parseHeaderFields(header).length > 0 ? raw : null;
}

type Recipient = { emailAddress?: { address?: unknown; name?: unknown } };
export type JsonMessage = {
  subject?: unknown;
  body?: { contentType?: unknown; content?: unknown };
  toRecipients?: Recipient[];
  ccRecipients?: Recipient[];
  bccRecipients?: Recipient[];
  from?: Recipient;
};

function recipientList(list: unknown): Array<{ name: string; address: string }> | null {
  if (list === undefined) return [];
  if (!Array.isArray(list)) return null;
  const out: Array<{ name: string; address: string }> = [];
  for (const r of list as Recipient[]) {
    const address = r?.emailAddress?.address;
    if (typeof address !== "string" || !address.includes("@")) return null;
    out.push({ address, name: typeof r.emailAddress?.name === "string" ? r.emailAddress.name : "" });
  }
  return out;
}

/** The MIME Graph builds from a JSON `message` (Bcc kept, like the MIME body: recipients are read from it). */
export async function composeJsonMessage(message: JsonMessage, mailbox: string): Promise<Buffer | string> {
  const to = recipientList(message.toRecipients);
  const cc = recipientList(message.ccRecipients);
  const bcc = recipientList(message.bccRecipients);
  if (!to || !cc || !bcc) return "A recipient's emailAddress.address is missing or not an email address.";
  const from = message.from === undefined ? [] : recipientList([message.from]);
  if (!from) return "The from emailAddress.address is not an email address.";
  const html = String(message.body?.contentType ?? "text").toLowerCase() === "html";
  const content = typeof message.body?.content === "string" ? message.body.content : "";
  const composer = new MailComposer({
    from: from[0] ?? mailbox,
    to,
    cc,
    bcc,
    subject: typeof message.subject === "string" ? message.subject : "",
    ...(html ? { html: content } : { text: content }),
  });
  const node = composer.compile();
  node.keepBcc = true;
  return await new Promise<Buffer>((resolve, reject) => node.build((err, out) => (err ? reject(err) : resolve(out))));
}
