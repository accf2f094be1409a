import addressparser from "nodemailer/lib/addressparser";
import { countLines, headerValue, parseHeaderFields, splitParams, type MimePart } from "./mime";

/**
 * IMAP response syntax (RFC 3501): atoms, quoted strings, literals, NIL, lists; and the FETCH
 * data items built from a message (ENVELOPE, BODYSTRUCTURE, INTERNALDATE).
 */

/** A response fragment: text, or bytes that must be sent as a literal. */
export type Chunk = string | Buffer;

export function literal(data: Buffer): Buffer[] {
  return [Buffer.from(`{${data.length}}\r\n`), data];
}

/** Quoted string when safe, otherwise a literal (CR, LF, NUL, 8-bit, long values). */
export function str(value: string | null | undefined): Chunk[] {
  if (value === null || value === undefined) return ["NIL"];
  // biome-ignore lint/suspicious/noControlCharactersInRegex: IMAP quoted strings exclude NUL and 8-bit characters (RFC 3501 §4.3)
  if (/[\r\n\0]/.test(value) || /[^\x01-\x7f]/.test(value) || value.length > 1000) {
    return literal(Buffer.from(value, "utf8"));
  }
  return [`"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`];
}

/** A mailbox name: atom when possible (INBOX), else quoted. */
export function mailboxName(name: string): string {
  if (/^[A-Za-z0-9_.-]+$/.test(name)) return name;
  return `"${name.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

export function joinChunks(parts: Chunk[][], sep = " "): Chunk[] {
  const out: Chunk[] = [];
  parts.forEach((p, i) => {
    if (i > 0) out.push(sep);
    out.push(...p);
  });
  return out;
}

export function list(parts: Chunk[][]): Chunk[] {
  return ["(", ...joinChunks(parts), ")"];
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** INTERNALDATE: `"17-Jul-1996 02:44:25 +0000"` */
export function internalDate(iso: string): string {
  const d = new Date(iso);
  const dd = String(d.getUTCDate()).padStart(2, "0");
  const time = [d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()].map((n) => String(n).padStart(2, "0")).join(":");
  return `"${dd}-${MONTHS[d.getUTCMonth()]}-${d.getUTCFullYear()} ${time} +0000"`;
}

function addressList(value: string | null): Chunk[] {
  if (!value) return ["NIL"];
  const parsed = addressparser(value);
  const items: Chunk[][] = [];
  for (const entry of parsed) {
    const group = (entry as { group?: Array<{ name: string; address: string }> }).group;
    if (group) {
      items.push(["(NIL NIL ", ...str(entry.name), " NIL)"]);
      for (const a of group) items.push(address(a.name, a.address));
      items.push(["(NIL NIL NIL NIL)"]);
    } else {
      items.push(address(entry.name, (entry as { address?: string }).address ?? ""));
    }
  }
  if (items.length === 0) return ["NIL"];
  return ["(", ...items.flat(), ")"];
}

function address(name: string, addr: string): Chunk[] {
  const at = addr.lastIndexOf("@");
  const local = at >= 0 ? addr.slice(0, at) : addr;
  const host = at >= 0 ? addr.slice(at + 1) : null;
  return ["(", ...str(name || null), " NIL ", ...str(local || null), " ", ...str(host), ")"];
}

export function envelope(part: MimePart): Chunk[] {
  const f = part.fields;
  const from = headerValue(f, "From");
  const sender = headerValue(f, "Sender") ?? from;
  const replyTo = headerValue(f, "Reply-To") ?? from;
  return [
    "(",
    ...joinChunks([
      str(headerValue(f, "Date")),
      str(headerValue(f, "Subject")),
      addressList(from),
      addressList(sender),
      addressList(replyTo),
      addressList(headerValue(f, "To")),
      addressList(headerValue(f, "Cc")),
      addressList(headerValue(f, "Bcc")),
      str(headerValue(f, "In-Reply-To")),
      str(headerValue(f, "Message-ID")),
    ]),
    ")",
  ];
}

function paramList(params: Record<string, string>): Chunk[] {
  const entries = Object.entries(params);
  if (entries.length === 0) return ["NIL"];
  return list(entries.map(([k, v]) => [...str(k.toUpperCase()), " ", ...str(v)]));
}

function disposition(part: MimePart): Chunk[] {
  const value = headerValue(part.fields, "Content-Disposition");
  if (!value) return ["NIL"];
  const [type, ...rest] = splitParams(value);
  const params: Record<string, string> = {};
  for (const p of rest) {
    const eq = p.indexOf("=");
    if (eq > 0)
      params[p.slice(0, eq).trim().toLowerCase()] = p
        .slice(eq + 1)
        .trim()
        .replace(/^"|"$/g, "");
  }
  return ["(", ...str((type ?? "").trim().toUpperCase()), " ", ...paramList(params), ")"];
}

/** BODYSTRUCTURE (extensible = true) or BODY (extensible = false). */
export function bodyStructure(part: MimePart, extensible: boolean): Chunk[] {
  const ct = part.contentType;
  if (part.children.length > 0) {
    const children = part.children.flatMap((c) => bodyStructure(c, extensible));
    const out: Chunk[] = ["(", ...children, " ", ...str(ct.subtype.toUpperCase())];
    if (extensible) out.push(" ", ...paramList(ct.params), " ", ...disposition(part), " NIL NIL");
    out.push(")");
    return out;
  }
  const f = part.fields;
  const encoding = (headerValue(f, "Content-Transfer-Encoding") ?? "7bit").toUpperCase();
  const out: Chunk[] = [
    "(",
    ...str(ct.type.toUpperCase()),
    " ",
    ...str(ct.subtype.toUpperCase()),
    " ",
    ...paramList(ct.params),
    " ",
    ...str(headerValue(f, "Content-ID")),
    " ",
    ...str(headerValue(f, "Content-Description")),
    " ",
    ...str(encoding),
    ` ${part.body.length}`,
  ];
  if (ct.type === "message" && ct.subtype === "rfc822" && part.message) {
    out.push(
      " ",
      ...envelope(part.message),
      " ",
      ...bodyStructure(part.message, extensible),
      ` ${countLines(part.body)}`,
    );
  } else if (ct.type === "text") {
    out.push(` ${countLines(part.body)}`);
  }
  if (extensible) out.push(" NIL ", ...disposition(part), " NIL NIL");
  out.push(")");
  return out;
}

/** Header fields of a header block, selected by name (HEADER.FIELDS) or excluded (HEADER.FIELDS.NOT). */
export function headerSubset(header: Buffer, names: string[], not: boolean): Buffer {
  const wanted = new Set(names.map((n) => n.toLowerCase()));
  const fields = parseHeaderFields(header).filter((f) => wanted.has(f.name.toLowerCase()) !== not);
  return Buffer.concat([
    ...fields.map((f) =>
      f.raw.toString("latin1").endsWith("\n") ? f.raw : Buffer.concat([f.raw, Buffer.from("\r\n")]),
    ),
    Buffer.from("\r\n"),
  ]);
}
