/**
 * Just enough RFC 5322 / MIME parsing for IMAP FETCH: header fields, the header/body split,
 * and the part tree (for BODY[1.2], BODYSTRUCTURE).
 */

export interface HeaderField {
  /** Name as written. */
  name: string;
  /** Unfolded value. */
  value: string;
  /** The raw bytes of the field including its line break(s). */
  raw: Buffer;
}

export interface MimePart {
  /** Whole part: header + blank line + body. */
  raw: Buffer;
  header: Buffer;
  body: Buffer;
  fields: HeaderField[];
  contentType: { type: string; subtype: string; params: Record<string, string> };
  children: MimePart[];
  /** For message/rfc822 parts: the embedded message. */
  message: MimePart | null;
}

/** Offset of the body (after the first empty line), and the header length including that line. */
export function splitHeader(raw: Buffer): { header: Buffer; body: Buffer } {
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === 0x0a) {
      // LF LF or LF CR LF
      if (raw[i + 1] === 0x0a) return { header: raw.subarray(0, i + 2), body: raw.subarray(i + 2) };
      if (raw[i + 1] === 0x0d && raw[i + 2] === 0x0a)
        return { header: raw.subarray(0, i + 3), body: raw.subarray(i + 3) };
    }
  }
  return { header: raw, body: Buffer.alloc(0) };
}

export function parseHeaderFields(header: Buffer): HeaderField[] {
  const fields: HeaderField[] = [];
  const text = header.toString("latin1");
  const lines = text.split(/(?<=\n)/);
  let current: { name: string; rawText: string } | null = null;
  const flush = () => {
    if (!current) return;
    const colon = current.rawText.indexOf(":");
    const value = current.rawText
      .slice(colon + 1)
      .replace(/\r?\n[ \t]+/g, " ")
      .replace(/\r?\n$/, "")
      .trim();
    fields.push({
      name: current.name,
      value: Buffer.from(value, "latin1").toString("utf8"),
      raw: Buffer.from(current.rawText, "latin1"),
    });
    current = null;
  };
  for (const line of lines) {
    if (line === "\r\n" || line === "\n") break;
    if (/^[ \t]/.test(line) && current) {
      current.rawText += line;
      continue;
    }
    flush();
    const colon = line.indexOf(":");
    if (colon > 0) current = { name: line.slice(0, colon).trim(), rawText: line };
  }
  flush();
  return fields;
}

export function headerValue(fields: HeaderField[], name: string): string | null {
  const f = fields.find((x) => x.name.toLowerCase() === name.toLowerCase());
  return f ? f.value : null;
}

function parseContentType(value: string | null, parentIsDigest: boolean): MimePart["contentType"] {
  const fallback = parentIsDigest ? { type: "message", subtype: "rfc822" } : { type: "text", subtype: "plain" };
  if (!value) return { ...fallback, params: parentIsDigest ? {} : { charset: "us-ascii" } };
  const [typePart, ...paramParts] = splitParams(value);
  const [type, subtype] = (typePart ?? "").trim().toLowerCase().split("/");
  const params: Record<string, string> = {};
  for (const p of paramParts) {
    const eq = p.indexOf("=");
    if (eq < 0) continue;
    const k = p.slice(0, eq).trim().toLowerCase();
    let v = p.slice(eq + 1).trim();
    if (v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1).replace(/\\(.)/g, "$1");
    params[k] = v;
  }
  if (!type || !subtype) return { ...fallback, params };
  return { type, subtype, params };
}

/** Split `a; b="x;y"; c` on semicolons outside quotes. */
export function splitParams(value: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i] ?? "";
    if (ch === '"' && value[i - 1] !== "\\") quoted = !quoted;
    if (ch === ";" && !quoted) {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

export function parseMime(raw: Buffer, parentIsDigest = false): MimePart {
  const { header, body } = splitHeader(raw);
  const fields = parseHeaderFields(header);
  const contentType = parseContentType(headerValue(fields, "Content-Type"), parentIsDigest);
  const part: MimePart = { raw, header, body, fields, contentType, children: [], message: null };
  if (contentType.type === "multipart" && contentType.params.boundary) {
    part.children = splitMultipart(body, contentType.params.boundary).map((b) =>
      parseMime(b, contentType.subtype === "digest"),
    );
  } else if (contentType.type === "message" && contentType.subtype === "rfc822") {
    part.message = parseMime(body);
  }
  return part;
}

function splitMultipart(body: Buffer, boundary: string): Buffer[] {
  const text = body.toString("latin1");
  const delimiter = `--${boundary}`;
  const parts: Buffer[] = [];
  let pos = 0;
  let start = -1;
  while (pos <= text.length) {
    const idx = text.indexOf(delimiter, pos);
    if (idx < 0) break;
    const atLineStart = idx === 0 || text[idx - 1] === "\n";
    if (!atLineStart) {
      pos = idx + delimiter.length;
      continue;
    }
    if (start >= 0) {
      // the CRLF before the delimiter belongs to the delimiter
      let end = idx;
      if (text[end - 1] === "\n") end--;
      if (text[end - 1] === "\r") end--;
      parts.push(Buffer.from(text.slice(start, end), "latin1"));
    }
    const after = idx + delimiter.length;
    if (text.startsWith("--", after)) return parts;
    const eol = text.indexOf("\n", after);
    if (eol < 0) break;
    start = eol + 1;
    pos = start;
  }
  return parts;
}

/** Count lines of a body (for BODYSTRUCTURE of text parts). */
export function countLines(body: Buffer): number {
  let n = 0;
  for (const b of body) if (b === 0x0a) n++;
  if (body.length > 0 && body[body.length - 1] !== 0x0a) n++;
  return n;
}
