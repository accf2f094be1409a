import { describe, expect, it } from "vitest";
import { CommandReader, MAX_LITERAL_BYTES } from "@/lib/relay/imap/command-reader";

const feed = (reader: CommandReader, ...chunks: string[]) => chunks.flatMap((c) => reader.push(Buffer.from(c)));

describe("the IMAP gateway's pre-login command reader", () => {
  it("reads atoms and quoted strings with escapes", () => {
    expect(feed(new CommandReader(), 'a1 LOGIN "box@contoso.test" "p\\"w\\\\d x"\r\n')).toEqual([
      { type: "command", command: { tag: "a1", name: "LOGIN", args: ["box@contoso.test", 'p"w\\d x'] } },
    ]);
    expect(feed(new CommandReader(), "A2 capability\r\n")).toEqual([
      { type: "command", command: { tag: "A2", name: "CAPABILITY", args: [] } },
    ]);
  });

  it("asks for a synchronizing literal's bytes and reads them whole, split across packets", () => {
    const reader = new CommandReader();
    expect(feed(reader, "a LOGIN {16}\r\n")).toEqual([{ type: "continue" }]);
    expect(feed(reader, "box@con", "toso.test {9}\r\n")).toEqual([{ type: "continue" }]);
    expect(feed(reader, 'se "cr" t\r\n')).toEqual([
      { type: "command", command: { tag: "a", name: "LOGIN", args: ["box@contoso.test", 'se "cr" t'] } },
    ]);
  });

  it("takes a non-synchronizing literal ({n+}) without a continuation, and CR LF inside a literal", () => {
    expect(feed(new CommandReader(), "b LOGIN u {4+}\r\nx\r\ny\r\n")).toEqual([
      { type: "command", command: { tag: "b", name: "LOGIN", args: ["u", "x\r\ny"] } },
    ]);
  });

  it("reads AUTHENTICATE's continuation answer as a raw line", () => {
    const reader = new CommandReader();
    expect(feed(reader, "c AUTHENTICATE PLAIN\r\n")).toEqual([
      { type: "command", command: { tag: "c", name: "AUTHENTICATE", args: ["PLAIN"] } },
    ]);
    // held until the session answers: nothing more is read
    expect(feed(reader, "AGJveABzZWNyZXQ=\r\nd NOOP\r\n")).toEqual([]);
    reader.rawLine = true;
    expect(reader.release()).toEqual([{ type: "line", line: "AGJveABzZWNyZXQ=" }]);
    expect(reader.release()).toEqual([{ type: "command", command: { tag: "d", name: "NOOP", args: [] } }]);
  });

  it("holds what follows LOGIN unread: refused, it reads on; signed in, the rest is for Microsoft", () => {
    const reader = new CommandReader();
    expect(feed(reader, "a LOGIN u p\r\nb SELECT INBOX\r\n")).toEqual([
      { type: "command", command: { tag: "a", name: "LOGIN", args: ["u", "p"] } },
    ]);
    expect(feed(reader, "c NOOP\r\n")).toEqual([]);
    expect(reader.takeRest().toString()).toBe("b SELECT INBOX\r\nc NOOP\r\n");
  });

  it("answers BAD for a missing command, an unterminated string, and closes on an oversized literal or line", () => {
    expect(feed(new CommandReader(), "lonely\r\n")).toEqual([
      { type: "bad", tag: "lonely", message: "Command syntax error", fatal: false },
    ]);
    expect(feed(new CommandReader(), 'e LOGIN "open\r\n')).toEqual([
      { type: "bad", tag: "e", message: "Unterminated quoted string", fatal: false },
    ]);
    expect(feed(new CommandReader(), `f LOGIN {${MAX_LITERAL_BYTES + 1}}\r\n`)).toEqual([
      { type: "bad", tag: "f", message: "Literal too big", fatal: true },
    ]);
    expect(feed(new CommandReader(), "x".repeat(9000))).toEqual([
      { type: "bad", tag: null, message: "Command line too long", fatal: true },
    ]);
  });
});
