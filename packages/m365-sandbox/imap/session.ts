import type { Socket } from "node:net";
import type { SandboxContext } from "../context";
import { APP_ROLE_IMAP, appTokenClaims, checkAppAccessToken } from "../app-only";
import { checkAccessToken, checkPassword, imapMailbox, mayReadMailbox, parseXoauth2 } from "../mail-auth";
import type { FolderRecord, MailboxRecord, StoredMessage, UserRecord } from "../store";
import { sleep } from "../util";
import { bodyStructure, envelope, headerSubset, internalDate, list, literal, mailboxName, type Chunk } from "./format";
import { headerValue, parseMime, type MimePart } from "./mime";
import { CommandReader, parseSequenceSet, tokenize, tokenText, type Segment, type Token } from "./parser";

/**
 * One IMAP connection, behaving like outlook.office365.com:993 for the commands imapflow and
 * similar clients use. Exchange Online's quirk is kept: a valid token of a user who may not open
 * the mailbox named in `user=` authenticates, and the next mailbox command answers
 * `BAD User is authenticated but not connected.`
 */

export const IMAP_CAPABILITIES =
  "IMAP4 IMAP4rev1 AUTH=PLAIN AUTH=XOAUTH2 SASL-IR UIDPLUS ID UNSELECT CHILDREN IDLE NAMESPACE LITERAL+";
export const NOT_CONNECTED = "User is authenticated but not connected.";
const SYSTEM_FLAGS = ["\\Seen", "\\Answered", "\\Flagged", "\\Deleted", "\\Draft", "$MDNSent"];
const INVALID_STATE = "Command received in Invalid state.";

type State = "notauth" | "auth" | "notconnected" | "selected" | "logout";

interface FetchItem {
  name: string;
  /** Body section (`HEADER`, `1.TEXT`, …); undefined for non-body items. */
  section?: string;
  peek?: boolean;
  partial?: { start: number; length: number | null };
  /** The name to answer with (`BODY[]<0>`, `RFC822`, …). */
  responseName?: string;
}

class ImapCommandError extends Error {
  constructor(
    readonly status: "NO" | "BAD",
    message: string,
  ) {
    super(message);
  }
}

export class ImapSession {
  private state: State = "notauth";
  private user: UserRecord | null = null;
  private mailbox: MailboxRecord | null = null;
  private folder: FolderRecord | null = null;
  private readOnly = false;
  private knownExists = 0;
  /** When the XOAUTH2 token this session signed in with expires (ms; null: a password sign-in). */
  private tokenExpiresAt: number | null = null;
  /** Exchange closes the connection after the second command refused as not connected. */
  private notConnectedRefusals = 0;
  private readonly reader: CommandReader;
  private queue: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly mimeCache = new WeakMap<StoredMessage, MimePart>();

  constructor(
    private readonly ctx: SandboxContext,
    private readonly socket: Socket,
  ) {
    this.reader = new CommandReader({
      onCommand: (segments) => {
        this.queue = this.queue
          .then(() => this.handle(segments))
          .catch(() => {
            this.socket.destroy();
          });
      },
      onLiteralRequest: () => this.write(["+ Ready for additional command text."]),
      onError: (message) => this.write([`* BAD ${message}`]),
    });
    socket.on("data", (d: Buffer) => this.reader.push(d));
    socket.on("close", () => {
      this.closed = true;
    });
    socket.on("error", () => {
      this.closed = true;
    });
  }

  async start(): Promise<void> {
    await sleep(this.ctx.latency.imap);
    this.write([
      `* OK The Microsoft Exchange IMAP4 service is ready. [${Buffer.from("SBX1PR01MB0001.sandbox.local").toString("base64")}]`,
    ]);
  }

  private write(chunks: Chunk[]): void {
    if (this.closed) return;
    const parts = chunks.map((c) => (typeof c === "string" ? Buffer.from(c, "utf8") : c));
    parts.push(Buffer.from("\r\n"));
    this.socket.write(Buffer.concat(parts));
  }

  private async handle(segments: Segment[]): Promise<void> {
    const tokens = tokenize(segments);
    const tagToken = tokens[0];
    const tag = tagToken?.type === "atom" ? tagToken.value : null;
    if (!tag) {
      this.write(["* BAD Command Error. 12"]);
      return;
    }
    let command = (tokenText(tokens[1]) ?? "").toUpperCase();
    let args = tokens.slice(2);
    let uid = false;
    if (command === "UID") {
      uid = true;
      command = (tokenText(args[0]) ?? "").toUpperCase();
      args = args.slice(1);
    }
    await sleep(this.ctx.latency.imap);
    if (this.tokenExpiresAt !== null && Date.now() >= this.tokenExpiresAt && this.state !== "logout") {
      // Exchange Online answers the first command after the access token's expiry this way and closes
      this.write(["* BYE Session invalidated - AccessTokenExpired"]);
      this.state = "logout";
      this.socket.end();
      return;
    }
    try {
      await this.dispatch(tag, command, args, uid);
    } catch (err) {
      if (err instanceof ImapCommandError) {
        this.write([`${tag} ${err.status} ${err.message}`]);
        if (err.message === NOT_CONNECTED && ++this.notConnectedRefusals >= 2) {
          this.write(["* BYE Connection closed. 14"]);
          this.state = "logout";
          this.socket.end();
        }
      } else {
        this.write([`${tag} BAD Server Unavailable. 15`]);
      }
    }
  }

  private requireMailboxState(): void {
    if (this.state === "notconnected") throw new ImapCommandError("BAD", NOT_CONNECTED);
    if (this.state !== "auth" && this.state !== "selected") throw new ImapCommandError("BAD", INVALID_STATE);
  }

  private requireSelected(): FolderRecord {
    if (this.state === "notconnected") throw new ImapCommandError("BAD", NOT_CONNECTED);
    if (this.state !== "selected" || !this.folder) throw new ImapCommandError("BAD", INVALID_STATE);
    return this.folder;
  }

  private async dispatch(tag: string, command: string, args: Token[], uid: boolean): Promise<void> {
    switch (command) {
      case "CAPABILITY":
        this.write([`* CAPABILITY ${IMAP_CAPABILITIES}`]);
        this.write([`${tag} OK CAPABILITY completed.`]);
        return;
      case "NOOP":
      case "CHECK":
        if (this.state === "selected") this.announceExists();
        this.write([`${tag} OK ${command} completed.`]);
        return;
      case "LOGOUT":
        this.write(["* BYE Microsoft Exchange Server IMAP4 server signing off."]);
        this.write([`${tag} OK LOGOUT completed.`]);
        this.state = "logout";
        this.socket.end();
        return;
      case "ID":
        this.write(['* ID ("name" "Microsoft.Exchange.Imap4.Imap4Server" "version" "15.20")']);
        this.write([`${tag} OK ID completed.`]);
        return;
      case "STARTTLS":
        throw new ImapCommandError("BAD", INVALID_STATE);
      case "AUTHENTICATE":
        return this.authenticate(tag, args);
      case "LOGIN":
        return this.login(tag, args);
      case "NAMESPACE":
        this.requireMailboxState();
        this.write(['* NAMESPACE (("" "/")) NIL NIL']);
        this.write([`${tag} OK NAMESPACE completed.`]);
        return;
      case "LIST":
      case "LSUB":
        return this.list(tag, command, args);
      case "SELECT":
      case "EXAMINE":
        return this.select(tag, command, args);
      case "STATUS":
        return this.status(tag, args);
      case "IDLE":
        return this.idle(tag);
      case "SUBSCRIBE":
      case "UNSUBSCRIBE":
        this.requireMailboxState();
        this.write([`${tag} OK ${command} completed.`]);
        return;
      case "FETCH":
        return this.fetch(tag, args, uid);
      case "STORE":
        return this.store(tag, args, uid);
      case "SEARCH":
        return this.search(tag, args, uid);
      case "EXPUNGE":
        return this.expunge(tag, uid ? (tokenText(args[0]) ?? "") : null);
      case "CLOSE":
      case "UNSELECT": {
        const folder = this.requireSelected();
        if (command === "CLOSE" && !this.readOnly) this.removeDeleted(folder, null, false);
        this.state = "auth";
        this.folder = null;
        this.write([`${tag} OK ${command} completed.`]);
        return;
      }
      case "ENABLE":
        throw new ImapCommandError("BAD", "Command Error. 12");
      default:
        if (this.state === "notconnected") throw new ImapCommandError("BAD", NOT_CONNECTED);
        throw new ImapCommandError("BAD", "Command Error. 12");
    }
  }

  // ---- authentication ------------------------------------------------------------------------

  private readLine(): Promise<string> {
    return new Promise((resolve) => {
      this.reader.rawLineHandler = resolve;
    });
  }

  private async authenticate(tag: string, args: Token[]): Promise<void> {
    if (this.state !== "notauth") throw new ImapCommandError("BAD", INVALID_STATE);
    const mechanism = (tokenText(args[0]) ?? "").toUpperCase();
    if (mechanism !== "XOAUTH2" && mechanism !== "PLAIN")
      throw new ImapCommandError("NO", "The specified authentication mechanism is not supported.");
    let response = tokenText(args[1]);
    if (response === null) {
      this.write(["+ "]);
      response = await this.readLine();
    }
    if (response.trim() === "*") throw new ImapCommandError("BAD", "Command Argument Error. 11");
    await sleep(this.ctx.latency.imap);
    if (mechanism === "PLAIN") {
      const parts = Buffer.from(response, "base64").toString("utf8").split("\0");
      const login = parts[1] ?? "";
      const password = parts[2] ?? "";
      const ok = checkPassword(this.ctx, login, password);
      if (!ok) throw new ImapCommandError("NO", "AUTHENTICATE failed.");
      this.authenticated(ok.user, ok.mailbox);
      this.write([`${tag} OK AUTHENTICATE completed.`]);
      return;
    }
    const creds = parseXoauth2(response);
    if (!creds) throw new ImapCommandError("NO", "AUTHENTICATE failed.");
    const exp = this.ctx.signer.verify(creds.accessToken)?.exp;
    const expiresAt = typeof exp === "number" ? exp * 1000 : null;
    if (appTokenClaims(this.ctx, creds.accessToken)) {
      // App-only: IMAP.AccessAsApp, the service principal registered in Exchange, FullAccess on the mailbox.
      const app = checkAppAccessToken(this.ctx, creds.accessToken, APP_ROLE_IMAP, creds.user);
      if (!app.ok) throw new ImapCommandError("NO", "AUTHENTICATE failed.");
      this.user = null;
      this.mailbox = app.mailbox.imapEnabled ? app.mailbox : null;
      this.state = this.mailbox ? "auth" : "notconnected";
      this.tokenExpiresAt = expiresAt;
      this.write([`${tag} OK AUTHENTICATE completed.`]);
      return;
    }
    const check = checkAccessToken(this.ctx, creds.accessToken, "IMAP.AccessAsUser.All");
    if (!check.ok) throw new ImapCommandError("NO", "AUTHENTICATE failed.");
    this.authenticated(check.user, imapMailbox(this.ctx, check.user, creds.user));
    this.tokenExpiresAt = expiresAt;
    this.write([`${tag} OK AUTHENTICATE completed.`]);
  }

  private async login(tag: string, args: Token[]): Promise<void> {
    if (this.state !== "notauth") throw new ImapCommandError("BAD", INVALID_STATE);
    const login = tokenText(args[0]) ?? "";
    const password = tokenText(args[1]) ?? "";
    const ok = checkPassword(this.ctx, login, password);
    if (!ok) throw new ImapCommandError("NO", "LOGIN failed.");
    this.authenticated(ok.user, ok.mailbox);
    this.write([`${tag} OK LOGIN completed.`]);
  }

  /** AUTHENTICATE succeeded; "connected" only when the user may open the mailbox and IMAP is on. */
  private authenticated(user: UserRecord, mailbox: MailboxRecord | null): void {
    this.user = user;
    const connected = mailbox !== null && mayReadMailbox(user, mailbox) && mailbox.imapEnabled;
    this.mailbox = connected ? mailbox : null;
    this.state = connected ? "auth" : "notconnected";
  }

  // ---- mailboxes ---------------------------------------------------------------------------------

  private findFolder(name: string): FolderRecord | undefined {
    return this.mailbox?.folders.find((f) => f.name.toLowerCase() === name.toLowerCase());
  }

  private list(tag: string, command: "LIST" | "LSUB", args: Token[]): void {
    this.requireMailboxState();
    const reference = tokenText(args[0]) ?? "";
    const pattern = tokenText(args[1]) ?? "";
    if (pattern === "" && command === "LIST") {
      this.write(['* LIST (\\Noselect \\HasNoChildren) "/" ""']);
      this.write([`${tag} OK LIST completed.`]);
      return;
    }
    const full = reference + pattern;
    const re = new RegExp(
      `^${full
        .split("")
        .map((c) => (c === "*" ? ".*" : c === "%" ? "[^/]*" : c.replace(/[.+?^${}()|[\]\\]/g, "\\$&")))
        .join("")}$`,
      "i",
    );
    for (const f of this.mailbox?.folders ?? []) {
      if (!re.test(f.name)) continue;
      const flags = ["\\HasNoChildren", ...(f.specialUse && command === "LIST" ? [f.specialUse] : [])];
      this.write([`* ${command} (${flags.join(" ")}) "/" ${mailboxName(f.name)}`]);
    }
    this.write([`${tag} OK ${command} completed.`]);
  }

  private select(tag: string, command: "SELECT" | "EXAMINE", args: Token[]): void {
    this.requireMailboxState();
    const name = tokenText(args[0]) ?? "";
    const folder = this.findFolder(name);
    if (!folder) {
      this.state = "auth";
      this.folder = null;
      throw new ImapCommandError("NO", `Mailbox doesn't exist: ${name}`);
    }
    this.folder = folder;
    this.state = "selected";
    this.readOnly = command === "EXAMINE";
    this.knownExists = folder.messages.length;
    const firstUnseen = folder.messages.findIndex((m) => !m.flags.includes("\\Seen"));
    this.write([`* ${folder.messages.length} EXISTS`]);
    this.write(["* 0 RECENT"]);
    this.write([`* FLAGS (${SYSTEM_FLAGS.join(" ")})`]);
    this.write([`* OK [PERMANENTFLAGS (${this.readOnly ? "" : SYSTEM_FLAGS.join(" ")})] Permanent flags`]);
    if (firstUnseen >= 0) this.write([`* OK [UNSEEN ${firstUnseen + 1}] Is the first unseen message`]);
    this.write([`* OK [UIDVALIDITY ${folder.uidValidity}] UIDVALIDITY value`]);
    this.write([`* OK [UIDNEXT ${folder.uidNext}] The next unique identifier value`]);
    this.write([`${tag} OK [${this.readOnly ? "READ-ONLY" : "READ-WRITE"}] ${command} completed.`]);
  }

  private status(tag: string, args: Token[]): void {
    this.requireMailboxState();
    const name = tokenText(args[0]) ?? "";
    const folder = this.findFolder(name);
    if (!folder) throw new ImapCommandError("NO", `Mailbox doesn't exist: ${name}`);
    const itemsToken = args[1];
    const items = itemsToken?.type === "list" ? itemsToken.items.map((t) => (tokenText(t) ?? "").toUpperCase()) : [];
    const values: string[] = [];
    for (const item of items) {
      if (item === "MESSAGES") values.push(`MESSAGES ${folder.messages.length}`);
      else if (item === "RECENT") values.push("RECENT 0");
      else if (item === "UIDNEXT") values.push(`UIDNEXT ${folder.uidNext}`);
      else if (item === "UIDVALIDITY") values.push(`UIDVALIDITY ${folder.uidValidity}`);
      else if (item === "UNSEEN")
        values.push(`UNSEEN ${folder.messages.filter((m) => !m.flags.includes("\\Seen")).length}`);
      else throw new ImapCommandError("BAD", "Command Argument Error. 11");
    }
    this.write([`* STATUS ${mailboxName(folder.name)} (${values.join(" ")})`]);
    this.write([`${tag} OK STATUS completed.`]);
  }

  private announceExists(): void {
    if (!this.folder) return;
    const n = this.folder.messages.length;
    if (n !== this.knownExists) {
      this.knownExists = n;
      this.write([`* ${n} EXISTS`]);
    }
  }

  private async idle(tag: string): Promise<void> {
    this.requireMailboxState();
    this.write(["+ IDLE accepted, awaiting DONE command."]);
    const timer = setInterval(() => this.announceExists(), 250);
    try {
      for (;;) {
        const line = await this.readLine();
        if (line.trim().toUpperCase() === "DONE") break;
      }
    } finally {
      clearInterval(timer);
    }
    this.write([`${tag} OK IDLE completed.`]);
  }

  // ---- messages ------------------------------------------------------------------------------------

  private selectMessages(folder: FolderRecord, set: string, uid: boolean): Array<{ seq: number; msg: StoredMessage }> {
    const msgs = folder.messages;
    const max = uid ? (msgs[msgs.length - 1]?.uid ?? 0) : msgs.length;
    const match = parseSequenceSet(set, max);
    if (!match) throw new ImapCommandError("BAD", "Command Argument Error. 11");
    const out: Array<{ seq: number; msg: StoredMessage }> = [];
    msgs.forEach((msg, i) => {
      if (match(uid ? msg.uid : i + 1)) out.push({ seq: i + 1, msg });
    });
    return out;
  }

  private mime(msg: StoredMessage): MimePart {
    let part = this.mimeCache.get(msg);
    if (!part) {
      part = parseMime(Buffer.from(msg.raw, "base64"));
      this.mimeCache.set(msg, part);
    }
    return part;
  }

  private parseFetchItems(token: Token | undefined): FetchItem[] {
    const raw: string[] = [];
    if (!token) throw new ImapCommandError("BAD", "Command Argument Error. 11");
    if (token.type === "list") for (const t of token.items) raw.push(flattenToken(t));
    else raw.push(flattenToken(token));
    const items: FetchItem[] = [];
    for (const r of raw) {
      const upper = r.toUpperCase();
      if (upper === "ALL")
        items.push({ name: "FLAGS" }, { name: "INTERNALDATE" }, { name: "RFC822.SIZE" }, { name: "ENVELOPE" });
      else if (upper === "FAST") items.push({ name: "FLAGS" }, { name: "INTERNALDATE" }, { name: "RFC822.SIZE" });
      else if (upper === "FULL")
        items.push(
          { name: "FLAGS" },
          { name: "INTERNALDATE" },
          { name: "RFC822.SIZE" },
          { name: "ENVELOPE" },
          { name: "BODY" },
        );
      else if (["UID", "FLAGS", "INTERNALDATE", "RFC822.SIZE", "ENVELOPE", "BODYSTRUCTURE", "BODY"].includes(upper))
        items.push({ name: upper });
      else if (upper === "RFC822") items.push({ name: "SECTION", section: "", peek: false, responseName: "RFC822" });
      else if (upper === "RFC822.HEADER")
        items.push({ name: "SECTION", section: "HEADER", peek: true, responseName: "RFC822.HEADER" });
      else if (upper === "RFC822.TEXT")
        items.push({ name: "SECTION", section: "TEXT", peek: false, responseName: "RFC822.TEXT" });
      else {
        const m = /^BODY(\.PEEK)?\[(.*)\](?:<(\d+)(?:\.(\d+))?>)?$/is.exec(r);
        if (!m) throw new ImapCommandError("BAD", "Command Argument Error. 11");
        const section = m[2] ?? "";
        const partial =
          m[3] !== undefined ? { start: Number(m[3]), length: m[4] !== undefined ? Number(m[4]) : null } : undefined;
        items.push({
          name: "SECTION",
          section,
          peek: Boolean(m[1]),
          partial,
          responseName: `BODY[${section}]${partial ? `<${partial.start}>` : ""}`,
        });
      }
    }
    return items;
  }

  private sectionData(msg: StoredMessage, section: string): Buffer {
    const root = this.mime(msg);
    const upper = section.toUpperCase();
    // Walk numeric part path
    const parts = section.split(".");
    let part: MimePart = root;
    let i = 0;
    let inMessage = true; // `part` is a message (has header/text) rather than a body part
    while (i < parts.length && /^\d+$/.test(parts[i] ?? "")) {
      const n = Number(parts[i]);
      if (!inMessage && part.message) part = part.message;
      if (part.children.length > 0) {
        const child = part.children[n - 1];
        if (!child) return Buffer.alloc(0);
        part = child;
      } else if (n !== 1) {
        return Buffer.alloc(0);
      }
      inMessage = false;
      i++;
    }
    const rest = parts.slice(i).join(".").toUpperCase();
    const target = !inMessage && part.message && (rest.startsWith("HEADER") || rest === "TEXT") ? part.message : part;
    if (upper === "" || (rest === "" && inMessage)) return target.raw;
    if (rest === "") return part.body;
    if (rest === "MIME") return part.header;
    if (rest === "HEADER") return target.header;
    if (rest === "TEXT") return target.body;
    const fm = /^HEADER\.FIELDS(\.NOT)?\s*\((.*)\)$/s.exec(rest);
    if (fm) {
      const names = (fm[2] ?? "")
        .split(/\s+/)
        .filter(Boolean)
        .map((n) => n.replace(/^"|"$/g, ""));
      return headerSubset(target.header, names, Boolean(fm[1]));
    }
    throw new ImapCommandError("BAD", "Command Argument Error. 11");
  }

  private fetch(tag: string, args: Token[], uid: boolean): void {
    const folder = this.requireSelected();
    const set = tokenText(args[0]) ?? "";
    const items = this.parseFetchItems(args[1]);
    if (uid && !items.some((i) => i.name === "UID")) items.unshift({ name: "UID" });
    let changed = false;
    for (const { seq, msg } of this.selectMessages(folder, set, uid)) {
      const out: Chunk[][] = [];
      let setSeen = false;
      for (const item of items) {
        switch (item.name) {
          case "UID":
            out.push([`UID ${msg.uid}`]);
            break;
          case "FLAGS":
            out.push([`FLAGS (${msg.flags.join(" ")})`]);
            break;
          case "INTERNALDATE":
            out.push([`INTERNALDATE ${internalDate(msg.internalDate)}`]);
            break;
          case "RFC822.SIZE":
            out.push([`RFC822.SIZE ${Buffer.from(msg.raw, "base64").length}`]);
            break;
          case "ENVELOPE":
            out.push(["ENVELOPE ", ...envelope(this.mime(msg))]);
            break;
          case "BODYSTRUCTURE":
            out.push(["BODYSTRUCTURE ", ...bodyStructure(this.mime(msg), true)]);
            break;
          case "BODY":
            out.push(["BODY ", ...bodyStructure(this.mime(msg), false)]);
            break;
          case "SECTION": {
            let data = this.sectionData(msg, item.section ?? "");
            if (item.partial) {
              const start = Math.min(item.partial.start, data.length);
              data = data.subarray(start, item.partial.length === null ? undefined : start + item.partial.length);
            }
            out.push([`${item.responseName ?? "BODY[]"} `, ...literal(data)]);
            if (!item.peek) setSeen = true;
            break;
          }
        }
      }
      if (setSeen && !this.readOnly && !msg.flags.includes("\\Seen")) {
        msg.flags.push("\\Seen");
        changed = true;
        if (!items.some((i) => i.name === "FLAGS")) out.push([`FLAGS (${msg.flags.join(" ")})`]);
      }
      this.write([`* ${seq} FETCH `, ...list(out)]);
    }
    if (changed) this.ctx.store.save();
    this.write([`${tag} OK FETCH completed.`]);
  }

  private store(tag: string, args: Token[], uid: boolean): void {
    const folder = this.requireSelected();
    if (this.readOnly) throw new ImapCommandError("NO", "Command received in Invalid state.");
    const set = tokenText(args[0]) ?? "";
    const op = (tokenText(args[1]) ?? "").toUpperCase();
    const flagsToken = args[2];
    const flags =
      flagsToken?.type === "list"
        ? flagsToken.items.map((t) => tokenText(t) ?? "")
        : args.slice(2).map((t) => tokenText(t) ?? "");
    const silent = op.endsWith(".SILENT");
    const mode = op.replace(".SILENT", "");
    if (!["FLAGS", "+FLAGS", "-FLAGS"].includes(mode)) throw new ImapCommandError("BAD", "Command Argument Error. 11");
    for (const { seq, msg } of this.selectMessages(folder, set, uid)) {
      if (mode === "FLAGS") msg.flags = [...new Set(flags)];
      else if (mode === "+FLAGS") msg.flags = [...new Set([...msg.flags, ...flags])];
      else msg.flags = msg.flags.filter((f) => !flags.some((x) => x.toLowerCase() === f.toLowerCase()));
      if (!silent) this.write([`* ${seq} FETCH (${uid ? `UID ${msg.uid} ` : ""}FLAGS (${msg.flags.join(" ")}))`]);
    }
    this.ctx.store.save();
    this.write([`${tag} OK STORE completed.`]);
  }

  private removeDeleted(folder: FolderRecord, uidSet: string | null, announce: boolean): void {
    const max = folder.messages[folder.messages.length - 1]?.uid ?? 0;
    const inSet = uidSet ? parseSequenceSet(uidSet, max) : () => true;
    if (!inSet) throw new ImapCommandError("BAD", "Command Argument Error. 11");
    for (let i = folder.messages.length - 1; i >= 0; i--) {
      const msg = folder.messages[i];
      if (msg?.flags.includes("\\Deleted") && inSet(msg.uid)) {
        folder.messages.splice(i, 1);
        if (announce) this.write([`* ${i + 1} EXPUNGE`]);
      }
    }
    this.knownExists = folder.messages.length;
    this.ctx.store.save();
  }

  private expunge(tag: string, uidSet: string | null): void {
    const folder = this.requireSelected();
    if (this.readOnly) throw new ImapCommandError("NO", "Command received in Invalid state.");
    this.removeDeleted(folder, uidSet, true);
    this.write([`${tag} OK EXPUNGE completed.`]);
  }

  private search(tag: string, args: Token[], uid: boolean): void {
    const folder = this.requireSelected();
    let tokens = args;
    if ((tokenText(tokens[0]) ?? "").toUpperCase() === "CHARSET") tokens = tokens.slice(2);
    const pos = { i: 0 };
    const predicates: Array<(m: StoredMessage, seq: number) => boolean> = [];
    while (pos.i < tokens.length) predicates.push(this.searchKey(folder, tokens, pos));
    const hits: number[] = [];
    folder.messages.forEach((m, i) => {
      if (predicates.every((p) => p(m, i + 1))) hits.push(uid ? m.uid : i + 1);
    });
    this.write([`* SEARCH${hits.length ? ` ${hits.join(" ")}` : ""}`]);
    this.write([`${tag} OK SEARCH completed.`]);
  }

  private searchKey(
    folder: FolderRecord,
    tokens: Token[],
    pos: { i: number },
  ): (m: StoredMessage, seq: number) => boolean {
    const token = tokens[pos.i++];
    if (!token) throw new ImapCommandError("BAD", "Command Argument Error. 11");
    if (token.type === "list") {
      const inner = { i: 0 };
      const preds: Array<(m: StoredMessage, seq: number) => boolean> = [];
      while (inner.i < token.items.length) preds.push(this.searchKey(folder, token.items, inner));
      return (m, s) => preds.every((p) => p(m, s));
    }
    const key = (tokenText(token) ?? "").toUpperCase();
    const arg = (): string => {
      const t = tokenText(tokens[pos.i++]);
      if (t === null) throw new ImapCommandError("BAD", "Command Argument Error. 11");
      return t;
    };
    const flag = (f: string, present: boolean) => (m: StoredMessage) => m.flags.includes(f) === present;
    const header = (name: string, needle: string) => (m: StoredMessage) =>
      (headerValue(this.mime(m).fields, name) ?? "").toLowerCase().includes(needle.toLowerCase());
    const date = (s: string) => {
      const d = new Date(`${s} UTC`);
      if (Number.isNaN(d.getTime())) throw new ImapCommandError("BAD", "Command Argument Error. 11");
      return d.getTime();
    };
    const day = (iso: string) => {
      const d = new Date(iso);
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
    };
    switch (key) {
      case "ALL":
        return () => true;
      case "SEEN":
        return flag("\\Seen", true);
      case "UNSEEN":
        return flag("\\Seen", false);
      case "FLAGGED":
        return flag("\\Flagged", true);
      case "UNFLAGGED":
        return flag("\\Flagged", false);
      case "DELETED":
        return flag("\\Deleted", true);
      case "UNDELETED":
        return flag("\\Deleted", false);
      case "ANSWERED":
        return flag("\\Answered", true);
      case "UNANSWERED":
        return flag("\\Answered", false);
      case "DRAFT":
        return flag("\\Draft", true);
      case "UNDRAFT":
        return flag("\\Draft", false);
      case "RECENT":
      case "NEW":
        return () => false;
      case "OLD":
        return () => true;
      case "FROM":
      case "TO":
      case "CC":
      case "BCC":
      case "SUBJECT":
        return header(key, arg());
      case "HEADER": {
        const name = arg();
        return header(name, arg());
      }
      case "BODY":
      case "TEXT": {
        const needle = arg().toLowerCase();
        return (m) => Buffer.from(m.raw, "base64").toString("utf8").toLowerCase().includes(needle);
      }
      case "SINCE": {
        const t = date(arg());
        return (m) => day(m.internalDate) >= t;
      }
      case "BEFORE": {
        const t = date(arg());
        return (m) => day(m.internalDate) < t;
      }
      case "ON": {
        const t = date(arg());
        return (m) => day(m.internalDate) === t;
      }
      case "LARGER": {
        const n = Number(arg());
        return (m) => Buffer.from(m.raw, "base64").length > n;
      }
      case "SMALLER": {
        const n = Number(arg());
        return (m) => Buffer.from(m.raw, "base64").length < n;
      }
      case "UID": {
        const set = arg();
        const max = folder.messages[folder.messages.length - 1]?.uid ?? 0;
        const match = parseSequenceSet(set, max);
        if (!match) throw new ImapCommandError("BAD", "Command Argument Error. 11");
        return (m) => match(m.uid);
      }
      case "NOT": {
        const p = this.searchKey(folder, tokens, pos);
        return (m, s) => !p(m, s);
      }
      case "OR": {
        const a = this.searchKey(folder, tokens, pos);
        const b = this.searchKey(folder, tokens, pos);
        return (m, s) => a(m, s) || b(m, s);
      }
      default: {
        const match = parseSequenceSet(key, folder.messages.length);
        if (!match) throw new ImapCommandError("BAD", "Command Argument Error. 11");
        return (_m, s) => match(s);
      }
    }
  }
}

/** Rebuild the text of a FETCH item token (atoms with sections arrive whole from the tokenizer). */
function flattenToken(t: Token): string {
  if (t.type === "atom") return t.value;
  if (t.type === "string") return t.value.toString("utf8");
  return `(${t.items.map(flattenToken).join(" ")})`;
}
