/**
 * The IMAP gateway's reader of commands before login (RFC 9051 / 3501 syntax, only what CAPABILITY,
 * NOOP, LOGOUT, LOGIN and AUTHENTICATE need): lines ending in CRLF, atoms, quoted strings with `\"`
 * and `\\`, and literals — `{n}` (synchronizing: the reader asks for a continuation) and `{n+}`.
 * After login the gateway stops reading commands and relays bytes unchanged. No I/O here.
 */

export const MAX_LINE_BYTES = 8 * 1024;
export const MAX_LITERAL_BYTES = 8 * 1024;
/** What a client may send ahead while its login is answered. */
const HELD_LIMIT_BYTES = 1024 * 1024;

export type Command = { tag: string; name: string; args: string[] };

export type ReaderEvent =
  | { type: "command"; command: Command }
  /** A synchronizing literal was announced: answer with a continuation request. */
  | { type: "continue" }
  /** A bad command (`tag` when one was read): answer BAD; `fatal`: then close. */
  | { type: "bad"; tag: string | null; message: string; fatal: boolean }
  /** A raw line (the client's answer to an AUTHENTICATE continuation). */
  | { type: "line"; line: string };

type Piece = string | Buffer;

const TAG = /^[\x21\x23\x24\x26\x27\x2c-\x5b\x5d-\x7a\x7c\x7e]+$/; // ASTRING-CHAR without "+" (RFC 9051 tag)

export class CommandReader {
  private buffer: Buffer = Buffer.alloc(0);
  private pieces: Piece[] = [];
  private literalLeft = 0;
  private literalChunks: Buffer[] = [];
  /** The next full line is raw (AUTHENTICATE's continuation answer), not a command. */
  rawLine = false;
  /**
   * After LOGIN or AUTHENTICATE nothing more is read until `release` (refused: go on reading commands)
   * or `takeRest` (signed in: the rest is for Microsoft, unread).
   */
  private held = false;

  /** Takes what arrived and answers the events it completes, in order. */
  push(data: Buffer): ReaderEvent[] {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, data]) : data;
    const events: ReaderEvent[] = [];
    for (;;) {
      if (this.held) break;
      if (this.buffer.length > HELD_LIMIT_BYTES) {
        events.push({ type: "bad", tag: null, message: "Too much data before the login was answered", fatal: true });
        this.buffer = Buffer.alloc(0);
        break;
      }
      if (this.literalLeft > 0) {
        if (this.buffer.length === 0) break;
        const take = Math.min(this.literalLeft, this.buffer.length);
        this.literalChunks.push(this.buffer.subarray(0, take));
        this.buffer = this.buffer.subarray(take);
        this.literalLeft -= take;
        if (this.literalLeft > 0) break;
        this.pieces.push(Buffer.concat(this.literalChunks));
        this.literalChunks = [];
        continue;
      }
      const end = this.buffer.indexOf("\n");
      if (end < 0) {
        if (this.buffer.length > MAX_LINE_BYTES) {
          events.push({ type: "bad", tag: null, message: "Command line too long", fatal: true });
          this.buffer = Buffer.alloc(0);
        }
        break;
      }
      const line = this.buffer.subarray(0, end).toString("utf8").replace(/\r$/, "");
      this.buffer = this.buffer.subarray(end + 1);
      if (this.rawLine && this.pieces.length === 0) {
        this.rawLine = false;
        this.held = true; // the AUTHENTICATE it answers is still held
        events.push({ type: "line", line });
        continue;
      }
      const literal = /\{(\d{1,10})(\+?)\}$/.exec(line);
      if (literal) {
        const size = Number(literal[1]);
        this.pieces.push(line.slice(0, literal.index));
        if (size > MAX_LITERAL_BYTES) {
          events.push({ type: "bad", tag: this.tagSoFar(), message: "Literal too big", fatal: true });
          this.pieces = [];
          this.buffer = Buffer.alloc(0);
          break;
        }
        this.literalLeft = size;
        if (size === 0) this.pieces.push(Buffer.alloc(0));
        if (!literal[2]) events.push({ type: "continue" });
        continue;
      }
      this.pieces.push(line);
      const pieces = this.pieces;
      this.pieces = [];
      const event = parse(pieces);
      if (event.type === "command" && (event.command.name === "LOGIN" || event.command.name === "AUTHENTICATE"))
        this.held = true;
      events.push(event);
    }
    return events;
  }

  /** Reads on after a held LOGIN / AUTHENTICATE (refused, or AUTHENTICATE waiting for its line). */
  release(): ReaderEvent[] {
    this.held = false;
    return this.push(Buffer.alloc(0));
  }

  /** What arrived after the held command, unread (the client pipelined it: it goes to Microsoft). */
  takeRest(): Buffer {
    const rest = this.buffer;
    this.buffer = Buffer.alloc(0);
    return rest;
  }

  private tagSoFar(): string | null {
    const first = this.pieces[0];
    const tag = typeof first === "string" ? first.split(" ")[0] : "";
    return tag && TAG.test(tag) ? tag : null;
  }
}

/** Tokens of one command: atoms and quoted strings from the text, each literal whole. */
export function tokens(pieces: Piece[]): string[] | null {
  const out: string[] = [];
  for (const piece of pieces) {
    if (typeof piece !== "string") {
      out.push(piece.toString("utf8"));
      continue;
    }
    let i = 0;
    while (i < piece.length) {
      if (piece[i] === " ") {
        i++;
        continue;
      }
      if (piece[i] === '"') {
        let value = "";
        i++;
        for (;;) {
          if (i >= piece.length) return null; // unterminated
          const c = piece[i];
          if (c === "\\" && (piece[i + 1] === '"' || piece[i + 1] === "\\")) {
            value += piece[i + 1];
            i += 2;
          } else if (c === '"') {
            i++;
            break;
          } else {
            value += c;
            i++;
          }
        }
        out.push(value);
        continue;
      }
      let j = i;
      while (j < piece.length && piece[j] !== " ") j++;
      out.push(piece.slice(i, j));
      i = j;
    }
  }
  return out;
}

function parse(pieces: Piece[]): ReaderEvent {
  const words = tokens(pieces);
  const firstText = typeof pieces[0] === "string" ? pieces[0].trimStart().split(" ")[0] : "";
  const tag = firstText && TAG.test(firstText) ? firstText : null;
  if (!words || words.length < 2 || !tag || words[0] !== tag) {
    return { type: "bad", tag, message: words ? "Command syntax error" : "Unterminated quoted string", fatal: false };
  }
  return { type: "command", command: { tag, name: words[1].toUpperCase(), args: words.slice(2) } };
}
