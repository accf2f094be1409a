import addressparser from "nodemailer/lib/addressparser";

/**
 * The From: and Sender: addresses of a raw message (the header block up to the first empty line,
 * folded lines joined), parsed with nodemailer's address parser; a relay credential may only use
 * the addresses it was given, in the envelope and in these headers.
 */

function headerBlock(raw: Buffer): string {
  const text = raw.subarray(0, Math.min(raw.length, 256 * 1024)).toString("latin1");
  const end = text.search(/\r?\n\r?\n/);
  return (end === -1 ? text : text.slice(0, end)).replace(/\r?\n[ \t]+/g, " ");
}

type Parsed = { address?: string; group?: Parsed[] };

function addresses(value: string): string[] {
  const flat = (list: Parsed[]): string[] =>
    list.flatMap((a) => (a.group ? flat(a.group) : a.address ? [a.address.toLowerCase()] : []));
  return flat(addressparser(value) as Parsed[]);
}

/** Every address in the From: and Sender: headers (all occurrences), lower-cased. */
export function senderAddresses(raw: Buffer): { from: string[]; sender: string[] } {
  const out = { from: [] as string[], sender: [] as string[] };
  for (const line of headerBlock(raw).split(/\r?\n/)) {
    const m = /^(from|sender)\s*:(.*)$/i.exec(line);
    if (!m) continue;
    out[m[1].toLowerCase() as "from" | "sender"].push(...addresses(m[2]));
  }
  return out;
}
