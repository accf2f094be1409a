import "server-only";
import type tls from "node:tls";
import { countFailedSignIn, signInThrottled } from "@/lib/relay/auth-throttle";
import { sourceAllowed, verifySecret } from "@/lib/relay/credential-repository";
import { CommandReader, type Command, type ReaderEvent } from "@/lib/relay/imap/command-reader";
import { type ImapOutcome, logImapLogin } from "@/lib/relay/imap/imap-repository";
import { type UpstreamLoginOptions, upstreamLogin } from "@/lib/relay/imap/upstream-login";
import { getEmailSettings } from "@/lib/settings/email-repository";
import { errorText, logger } from "@/lib/log/logger";

const log = logger("relay");

/**
 * One client of the IMAP gateway. Before login it answers CAPABILITY, NOOP, LOGOUT, LOGIN and
 * AUTHENTICATE PLAIN itself; `LOGIN <mailbox> <relay credential password>` checks the credential (its
 * source addresses and the mailboxes it may open), signs in at Microsoft with XOAUTH2 and only then
 * answers: OK, then every byte relayed unchanged both ways until either side closes.
 */

export const GATEWAY_CAPABILITIES = "IMAP4rev1 AUTH=PLAIN SASL-IR";
const MAX_BAD = 10;

export type SessionOptions = {
  upstream: UpstreamLoginOptions;
  /** A client silent this long before login is dropped (default 60 s). */
  preAuthTimeoutMs: number;
};

type State = "notauth" | "authenticating" | "piped" | "closed";

export class GatewaySession {
  private state: State = "notauth";
  private readonly reader = new CommandReader();
  private queue: Promise<void> = Promise.resolve();
  private bad = 0;
  private pendingAuth: ((line: string) => void) | null = null;
  private readonly done: Promise<void>;
  private upstream: tls.TLSSocket | null = null;

  constructor(
    private readonly socket: tls.TLSSocket,
    private readonly options: SessionOptions,
  ) {
    this.done = new Promise((resolve) => socket.once("close", () => resolve()));
    socket.setTimeout(options.preAuthTimeoutMs, () => {
      if (this.state === "notauth") this.bye("Autologout; idle for too long");
    });
    socket.on("data", this.onData);
    socket.on("error", () => socket.destroy());
    socket.once("close", () => {
      this.state = "closed";
      this.upstream?.destroy();
    });
    this.write(`* OK [CAPABILITY ${GATEWAY_CAPABILITIES}] Mail Connect IMAP gateway ready (Microsoft 365 behind it)`);
  }

  /** Resolves when the client's connection is closed. */
  closed(): Promise<void> {
    return this.done;
  }

  /** Whether a relayed session is open (shutdown lets these finish; others are closed at once). */
  get relaying(): boolean {
    return this.state === "piped" || this.state === "authenticating";
  }

  /** Shutdown: a client that has not logged in is told goodbye now. */
  closeIfIdle(): void {
    if (this.state === "notauth") this.bye("Mail Connect is shutting down: connect again shortly");
  }

  destroy(): void {
    this.socket.destroy();
    this.upstream?.destroy();
  }

  private readonly onData = (data: Buffer) => {
    if (this.state !== "notauth" && this.state !== "authenticating") return;
    this.onEvents(this.reader.push(data));
  };

  private onEvents(events: ReaderEvent[]): void {
    for (const event of events) this.onEvent(event);
  }

  private onEvent(event: ReaderEvent): void {
    if (event.type === "continue") {
      this.write("+ Ready for literal data");
      return;
    }
    if (event.type === "line") {
      const resolve = this.pendingAuth;
      this.pendingAuth = null;
      resolve?.(event.line);
      return;
    }
    if (event.type === "bad") {
      this.write(`${event.tag ?? "*"} BAD ${event.message}`);
      if (event.fatal || ++this.bad >= MAX_BAD) this.bye("Too many bad commands");
      return;
    }
    this.queue = this.queue
      .then(() => this.handle(event.command))
      .catch((error: unknown) => {
        log.error({ error: errorText(error) }, "IMAP gateway session failed");
        this.bye("Temporary failure, connect again");
      });
  }

  private write(line: string): void {
    if (this.state !== "closed" && !this.socket.destroyed) this.socket.write(`${line}\r\n`);
  }

  private bye(text: string): void {
    this.write(`* BYE ${text}`);
    this.state = "closed";
    this.socket.end();
  }

  private async handle({ tag, name, args }: Command): Promise<void> {
    if (this.state !== "notauth") return;
    switch (name) {
      case "CAPABILITY":
        this.write(`* CAPABILITY ${GATEWAY_CAPABILITIES}`);
        return this.write(`${tag} OK CAPABILITY completed`);
      case "NOOP":
        return this.write(`${tag} OK NOOP completed`);
      case "LOGOUT":
        this.write("* BYE Mail Connect IMAP gateway signing off");
        this.write(`${tag} OK LOGOUT completed`);
        this.state = "closed";
        this.socket.end();
        return;
      case "LOGIN":
        if (args.length !== 2) {
          this.write(`${tag} BAD LOGIN takes a user name and a password`);
          return this.onEvents(this.reader.release());
        }
        return this.login(tag, args[0], args[1], "LOGIN");
      case "AUTHENTICATE":
        return this.authenticate(tag, args);
      case "STARTTLS":
        return this.write(`${tag} BAD The connection is encrypted already (implicit TLS)`);
      default:
        if (++this.bad >= MAX_BAD) return this.bye("Too many bad commands");
        return this.write(
          `${tag} BAD Log in first: before login this gateway accepts CAPABILITY, NOOP, LOGOUT, LOGIN and AUTHENTICATE PLAIN`,
        );
    }
  }

  private async authenticate(tag: string, args: string[]): Promise<void> {
    if ((args[0] ?? "").toUpperCase() !== "PLAIN") {
      this.write(`${tag} NO Unsupported authentication mechanism: this gateway offers AUTH=PLAIN`);
      return this.onEvents(this.reader.release());
    }
    let response = args[1];
    if (response === undefined) {
      this.state = "authenticating";
      this.reader.rawLine = true;
      this.write("+ ");
      response = await new Promise<string>((resolve) => {
        this.pendingAuth = resolve;
        this.onEvents(this.reader.release());
      });
      this.state = "notauth";
    }
    const answer = (line: string) => {
      this.write(line);
      this.onEvents(this.reader.release());
    };
    if (response.trim() === "*") return answer(`${tag} BAD AUTHENTICATE cancelled`);
    const parts = Buffer.from(response.trim(), "base64").toString("utf8").split("\0");
    if (parts.length !== 3) return answer(`${tag} BAD Invalid AUTHENTICATE PLAIN response`);
    const [authzid, authcid, password] = parts;
    return this.login(tag, authzid || authcid, password, "AUTHENTICATE");
  }

  private async login(tag: string, user: string, secret: string, command: "LOGIN" | "AUTHENTICATE"): Promise<void> {
    this.state = "authenticating";
    const mailbox = user.trim().toLowerCase().slice(0, 254);
    const address = this.socket.remoteAddress ?? "unknown";
    const record = (outcome: ImapOutcome, reason: string, credential: { id: string; name: string } | null) => {
      if (outcome !== "signed-in") log.warn({ mailbox, address, outcome, reason }, "IMAP sign-in not completed");
      else log.info({ credential: credential?.name, mailbox, address }, "IMAP sign-in");
      logImapLogin({
        credentialId: credential?.id ?? null,
        credentialName: credential?.name ?? "(unknown)",
        mailbox,
        outcome,
        reason,
        remoteAddress: address,
      }).catch((error: unknown) => log.error({ error: errorText(error) }, "could not record an IMAP sign-in"));
    };
    const refuse = (code: string, text: string) => {
      this.state = "notauth";
      this.write(`${tag} NO [${code}] ${text}`);
      this.onEvents(this.reader.release());
    };
    const throttleKey = `imap:${mailbox}`;
    if (await signInThrottled(throttleKey, address)) {
      record("refused", "too many failed sign-ins", null);
      return refuse("UNAVAILABLE", "Too many failed sign-ins for this mailbox or address: try again in 15 minutes");
    }
    const credential = await verifySecret(secret);
    if (!credential) {
      await countFailedSignIn(throttleKey, address);
      record("refused", "the password is not an active relay credential", null);
      return refuse("AUTHENTICATIONFAILED", "Invalid credentials");
    }
    if (!sourceAllowed(credential.allowedCidrs, address)) {
      record("refused", `used from ${address}, outside its allowed source addresses`, credential);
      return refuse("AUTHENTICATIONFAILED", `The credential ${credential.name} may not be used from ${address}`);
    }
    if (!credential.imapMailboxes.includes(mailbox)) {
      const allowed = credential.imapMailboxes.length
        ? credential.imapMailboxes.join(", ")
        : "none (set them on the Relay page)";
      record("refused", `not allowed to open ${mailbox}`, credential);
      return refuse(
        "AUTHORIZATIONFAILED",
        `The credential ${credential.name} may not open ${mailbox}; it may open: ${allowed}`,
      );
    }
    const result = await upstreamLogin(await getEmailSettings(), mailbox, this.options.upstream);
    if (!result.ok) {
      record(result.refused ? "refused" : "failed", result.reason, credential);
      return refuse(result.refused ? "AUTHENTICATIONFAILED" : "UNAVAILABLE", result.reason);
    }
    if (this.socket.destroyed) {
      result.socket.destroy();
      return;
    }
    record("signed-in", `Microsoft: OK ${result.okText}`, credential);
    this.pipe(tag, command, result);
  }

  private pipe(tag: string, command: string, up: Extract<Awaited<ReturnType<typeof upstreamLogin>>, { ok: true }>) {
    const client = this.socket;
    const upstream = up.socket;
    this.upstream = upstream;
    this.state = "piped";
    client.off("data", this.onData);
    client.setTimeout(0);
    for (const line of up.untagged) this.write(line);
    const code = /^\[[^\]]*\]/.exec(up.okText)?.[0];
    this.write(`${tag} OK ${code ? `${code} ` : ""}${command} completed`);
    if (up.rest.length) client.write(up.rest);
    const ahead = this.reader.takeRest();
    if (ahead.length) upstream.write(ahead);
    client.pipe(upstream);
    upstream.pipe(client);
    upstream.on("error", () => client.destroy());
    upstream.once("close", () => client.end());
    client.once("close", () => upstream.destroy());
  }
}
