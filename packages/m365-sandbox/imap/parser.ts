/**
 * IMAP command input (RFC 3501 section 4, RFC 7888 LITERAL+): a streaming reader that assembles
 * command lines with their literals, and a tokenizer for the arguments.
 */

export type Segment = { text: string } | { literal: Buffer };

export type Token =
  | { type: "atom"; value: string }
  | { type: "string"; value: Buffer }
  | { type: "list"; items: Token[] };

export interface LineReaderEvents {
  /** A complete command (text segments and literals). */
  onCommand(segments: Segment[]): void;
  /** A synchronizing literal is announced: the server must send a continuation. */
  onLiteralRequest(size: number): void;
  /** Too large or malformed. */
  onError(message: string): void;
}

const MAX_LITERAL = 50 * 1024 * 1024;
const MAX_LINE = 64 * 1024;

/** Splits the byte stream into commands. `rawLine` mode returns single lines (AUTHENTICATE, IDLE). */
export class CommandReader {
  private buffer: Buffer = Buffer.alloc(0);
  private segments: Segment[] = [];
  private literalRemaining = -1;
  rawLineHandler: ((line: string) => void) | null = null;

  constructor(private readonly events: LineReaderEvents) {}

  push(data: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, data]) : data;
    this.drain();
  }

  private drain(): void {
    for (;;) {
      if (this.literalRemaining >= 0) {
        if (this.buffer.length < this.literalRemaining) return;
        this.segments.push({ literal: this.buffer.subarray(0, this.literalRemaining) });
        this.buffer = this.buffer.subarray(this.literalRemaining);
        this.literalRemaining = -1;
        continue;
      }
      const lf = this.buffer.indexOf(0x0a);
      if (lf < 0) {
        if (this.buffer.length > MAX_LINE) {
          this.buffer = Buffer.alloc(0);
          this.segments = [];
          this.events.onError("Command line too long");
        }
        return;
      }
      let line = this.buffer.subarray(0, lf).toString("utf8");
      this.buffer = this.buffer.subarray(lf + 1);
      if (line.endsWith("\r")) line = line.slice(0, -1);
      if (this.rawLineHandler && this.segments.length === 0) {
        const handler = this.rawLineHandler;
        this.rawLineHandler = null;
        handler(line);
        continue;
      }
      const m = /\{(\d+)(\+?)\}$/.exec(line);
      if (m) {
        const size = Number(m[1]);
        this.segments.push({ text: line.slice(0, m.index) });
        if (size > MAX_LITERAL) {
          this.segments = [];
          this.events.onError("Literal too large");
          return;
        }
        this.literalRemaining = size;
        if (!m[2]) this.events.onLiteralRequest(size);
        continue;
      }
      this.segments.push({ text: line });
      const segments = this.segments;
      this.segments = [];
      this.events.onCommand(segments);
    }
  }
}

/** Tokenize command segments into atoms, strings and lists. */
export function tokenize(segments: Segment[]): Token[] {
  const root: Token[] = [];
  const stack: Token[][] = [root];
  const top = () => stack[stack.length - 1] ?? root;
  for (const seg of segments) {
    if ("literal" in seg) {
      top().push({ type: "string", value: seg.literal });
      continue;
    }
    const s = seg.text;
    let i = 0;
    while (i < s.length) {
      const ch = s[i];
      if (ch === " ") {
        i++;
      } else if (ch === "(") {
        const l: Token = { type: "list", items: [] };
        top().push(l);
        stack.push(l.items);
        i++;
      } else if (ch === ")") {
        if (stack.length > 1) stack.pop();
        i++;
      } else if (ch === '"') {
        let out = "";
        i++;
        while (i < s.length && s[i] !== '"') {
          if (s[i] === "\\" && i + 1 < s.length) i++;
          out += s[i];
          i++;
        }
        i++;
        top().push({ type: "string", value: Buffer.from(out, "utf8") });
      } else {
        // atom; a [...] section may hold spaces and parentheses
        let out = "";
        let depth = 0;
        while (i < s.length) {
          const c = s[i] ?? "";
          if (depth === 0 && (c === " " || c === "(" || c === ")")) break;
          if (c === "[") depth++;
          if (c === "]") depth = Math.max(0, depth - 1);
          out += c;
          i++;
        }
        top().push({ type: "atom", value: out });
      }
    }
  }
  return root;
}

export function tokenText(t: Token | undefined): string | null {
  if (!t) return null;
  if (t.type === "atom") return t.value;
  if (t.type === "string") return t.value.toString("utf8");
  return null;
}

/** Sequence set (`1:3,5,7:*`) → predicate over numbers, given the largest value for `*`. */
export function parseSequenceSet(set: string, max: number): ((n: number) => boolean) | null {
  const ranges: Array<[number, number]> = [];
  for (const part of set.split(",")) {
    const [a, b] = part.split(":");
    const num = (v: string | undefined): number | null => {
      if (v === "*") return max;
      if (!v || !/^\d+$/.test(v)) return null;
      return Number(v);
    };
    const x = num(a);
    const y = b === undefined ? x : num(b);
    if (x === null || y === null) return null;
    ranges.push([Math.min(x, y), Math.max(x, y)]);
  }
  return (n) => ranges.some(([lo, hi]) => n >= lo && n <= hi);
}
