/**
 * Server replies and protocol transcripts are shown to the administrator raw, but never with a
 * token, a password or a SASL blob in them. Redaction works on two levels: the exact secrets of
 * this run (the access token, the stored password), and patterns that catch anything shaped like a
 * credential even when we did not know it (JWTs, XOAUTH2/PLAIN/LOGIN payloads, Bearer values).
 */

export const REDACTED = "[redacted]";

const PATTERNS: Array<[RegExp, string]> = [
  // AUTH XOAUTH2 <b64>, AUTHENTICATE XOAUTH2 <b64>, AUTH PLAIN <b64>, with or without an IMAP tag
  [/\b(AUTH(?:ENTICATE)?\s+(?:XOAUTH2|XOAUTH|OAUTHBEARER|PLAIN|LOGIN))\s+(?!\[redacted\])[^\s]+/gi, `$1 ${REDACTED}`],
  // the decoded XOAUTH2 / OAUTHBEARER form: auth=Bearer <token>
  // biome-ignore lint/suspicious/noControlCharactersInRegex: XOAUTH2 separates its fields with \x01
  [/(auth=Bearer\s+)[^\s\x01]+/gi, `$1${REDACTED}`],
  // HTTP-style Bearer values
  [/\b(Bearer\s+)(?!\[redacted\])[A-Za-z0-9\-._~+/]{8,}=*/g, `$1${REDACTED}`],
  // JWTs (access tokens and id tokens): header.payload.signature
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, REDACTED],
  // password=…, "password": "…", pass: …
  [
    /\b((?:pass(?:word)?|secret|client_secret|refresh_token|access_token)["']?\s*[:=]\s*["']?)(?!\[redacted\])[^\s"',;}&]+/gi,
    `$1${REDACTED}`,
  ],
];

/** A base64 word that decodes to a SASL credential (XOAUTH2 `user=…\x01auth=…`, PLAIN `\0user\0pass`). */
function isSaslBlob(word: string): boolean {
  if (word.length < 16 || !/^[A-Za-z0-9+/]+={0,2}$/.test(word)) return false;
  const decoded = Buffer.from(word, "base64").toString("latin1");
  // biome-ignore lint/suspicious/noControlCharactersInRegex: SASL separators (\x01 XOAUTH2, \0 PLAIN)
  return /auth=|\x01|\x00/i.test(decoded);
}

/** Every base64 form in which a secret may travel over SMTP/IMAP (whole, or inside a SASL payload). */
function encodedForms(secret: string): string[] {
  const forms = [Buffer.from(secret, "utf8").toString("base64")];
  return forms.filter((f) => f.length >= 8);
}

export function redact(text: string, secrets: ReadonlyArray<string | null | undefined> = []): string {
  let out = text;
  const known = secrets.filter((s): s is string => typeof s === "string" && s.length >= 4);
  // longest first, so a secret that contains another is replaced whole
  for (const secret of [...known].sort((a, b) => b.length - a.length)) {
    for (const form of [secret, ...encodedForms(secret)]) out = out.split(form).join(REDACTED);
  }
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  out = out.replace(/[A-Za-z0-9+/]{16,}={0,2}/g, (word) => (isSaslBlob(word) ? REDACTED : word));
  return out;
}

export function redactLines(
  lines: ReadonlyArray<string>,
  secrets: ReadonlyArray<string | null | undefined> = [],
): string[] {
  return lines.map((l) => redact(l, secrets));
}
