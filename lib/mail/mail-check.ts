import type net from "node:net";
import type { CheckCard, PhaseName } from "@/lib/mail/client-safe/types";
import { overallDeadline, PhaseClock, TimeoutError, type TlsExtras } from "@/lib/mail/connection";
import { diagnoseStartTlsUnavailable } from "@/lib/mail/connection-diagnoses";
import type { Diagnosis, DiagnosisContext, MailFailure } from "@/lib/mail/diagnosis";
import { redact, redactLines } from "@/lib/mail/redact";
import type { AppTokenFacts } from "@/lib/microsoft/app-token";
import type { MailRole } from "@/lib/microsoft/client-safe/mail-roles";

/**
 * What every mail check shares, whatever the protocol: the overall deadline, the wait for the
 * Microsoft token while the connection is set up, the run's secrets (redacted from every reply and
 * transcript line), the case where no credentials come, the diagnosis of a failure and the shape of
 * the result. A driver brings the protocol: its steps before and after the credentials, how it reads
 * its library's errors, and its diagnoses.
 */

export type OAuthLogin = {
  kind: "xoauth2";
  user: string;
  accessToken: string;
  /** Who signed in to Microsoft. */
  account?: string | null;
  /** An app-only (Application) token: the app's, no user signed in. */
  app?: AppTokenFacts;
};
export type PasswordLogin = { kind: "password"; user: string; pass: string };
export type MailAuth = OAuthLogin | PasswordLogin | { kind: "none" };

export type MailCheckInput<A extends MailAuth> = {
  host: string;
  port: number;
  security: "starttls" | "tls" | "none";
  /**
   * The credentials, or a promise of them: the connection is set up while a Microsoft token is
   * still being fetched. A promise resolving to null (no token) ends the check without a result.
   */
  auth: A | Promise<A | null>;
  /**
   * The configured mailbox the diagnoses name: the SMTP user (the sender; SMTP AUTH with Microsoft is as
   * the signed-in account, which may be its delegate) or the Approval Reply Address (IMAP's `user=`).
   */
  mailbox: string;
  connectTimeoutMs: number;
  overallTimeoutMs: number;
  tls?: TlsExtras;
  /** Told each phase as it begins. */
  onPhase?: (phase: PhaseName) => void;
  /** Cancel: closes the connection at once. */
  signal?: AbortSignal;
};

export type MailCheckResult = Omit<CheckCard, "id" | "name" | "status">;

/** What a check holds while it runs: the driver writes the transcript and hands over what the deadline tears down. */
type MailCheckSession = {
  readonly clock: PhaseClock;
  /** Protocol lines as "S: …", "C: …" (redacted before they are shown). */
  readonly transcript: string[];
  socket: net.Socket | null;
  client: { close(): void } | null;
};

type MailError = Error & {
  code?: string;
  command?: string;
  response?: string;
  responseText?: string;
  tlsFailed?: boolean;
};

/** What the driver makes of a failure: the failure as the diagnoses see it, and the reply to show. */
type FailureReading = {
  code?: string;
  response: string | null;
  timeout?: MailFailure["timeout"];
  /** Shown as the card's server response (redacted). */
  shown: string;
  /** The settings require STARTTLS and the server does not offer it. */
  startTlsRefused: boolean;
};

export type MailCheckDriver<A extends MailAuth> = {
  role: MailRole;
  input: MailCheckInput<A>;
  /** SMTP: the From address, for the diagnoses. */
  from?: string;
  /** The steps before the credentials are needed (connect, TLS, greeting, STARTTLS). */
  connect(session: MailCheckSession): Promise<void>;
  /** Authenticates and does the protocol's work. */
  exchange(
    auth: A,
    session: MailCheckSession,
  ): Promise<{ summary: string; serverResponse: string | null; facts: Record<string, string | number> }>;
  readFailure(
    error: MailError,
    at: { phase: PhaseName; timeout?: TimeoutError["kind"]; lastServerLine: string | null },
    session: MailCheckSession,
  ): FailureReading;
  diagnose(failure: MailFailure, ctx: DiagnosisContext): Diagnosis;
};

class NoCredentials extends Error {}

function secretOf(auth: MailAuth): string | null {
  return auth.kind === "xoauth2" ? auth.accessToken : auth.kind === "password" ? auth.pass : null;
}

function authTypeOf(auth: MailAuth | null): DiagnosisContext["authType"] {
  return !auth || auth.kind === "xoauth2" ? "microsoft" : auth.kind;
}

export async function runMailCheck<A extends MailAuth>(driver: MailCheckDriver<A>): Promise<MailCheckResult | null> {
  const { input } = driver;
  const session: MailCheckSession = {
    clock: new PhaseClock(input.onPhase),
    transcript: [],
    socket: null,
    client: null,
  };
  const { clock, transcript } = session;
  const secrets: Array<string | null> = [];
  let auth: A | null = input.auth instanceof Promise ? null : input.auth;
  if (auth) secrets.push(secretOf(auth));
  const tearDown = () => {
    session.client?.close();
    session.socket?.destroy();
  };
  const deadline = overallDeadline(input.overallTimeoutMs, tearDown);
  input.signal?.addEventListener("abort", tearDown, { once: true });

  const run = async () => {
    await driver.connect(session);
    if (!auth) {
      clock.begin("token wait", "connection ready before the Microsoft token");
      auth = await input.auth;
      if (!auth) throw new NoCredentials();
      secrets.push(secretOf(auth));
    }
    return driver.exchange(auth, session);
  };
  const phases = () => clock.phases.filter((ph) => ph.name !== "token wait" || ph.ms > 0);

  try {
    const done = await Promise.race([run(), deadline.promise]);
    return {
      ok: true,
      ms: clock.elapsed(),
      phases: phases(),
      summary: done.summary,
      serverResponse: done.serverResponse === null ? null : redact(done.serverResponse, secrets),
      hint: null,
      transcript: redactLines(transcript, secrets),
      facts: done.facts,
    };
  } catch (error) {
    if (error instanceof NoCredentials) return null;
    const err = error as MailError;
    const phase = clock.currentPhase ?? "DNS + connect";
    clock.end(false);
    const lastServerLine =
      [...transcript]
        .reverse()
        .find((l) => l.startsWith("S: "))
        ?.slice(3) ?? null;
    const timeout = error instanceof TimeoutError ? error.kind : undefined;
    const reading = driver.readFailure(err, { phase, timeout, lastServerLine }, session);
    const failure: MailFailure = {
      code: reading.code,
      message: err.message,
      response: reading.response,
      phase,
      timeout: reading.timeout,
    };
    const a = auth as A | null;
    const ctx: DiagnosisContext = {
      role: driver.role,
      host: input.host,
      port: input.port,
      security: input.security,
      authType: authTypeOf(a),
      // the configured mailbox (SMTP user / Approval Reply Address), also when SMTP authenticates as the delegate
      mailbox: input.mailbox,
      from: driver.from,
      tokenAccount: a?.kind === "xoauth2" ? (a.account ?? null) : null,
      appOnly: a?.kind === "xoauth2" ? (a.app ?? null) : null,
      connectTimeoutMs: input.connectTimeoutMs,
      overallTimeoutMs: input.overallTimeoutMs,
    };
    const diagnosis = reading.startTlsRefused ? diagnoseStartTlsUnavailable(ctx) : driver.diagnose(failure, ctx);
    return {
      ok: false,
      ms: clock.elapsed(),
      phases: phases(),
      summary: diagnosis.summary,
      serverResponse: redact(reading.shown, secrets),
      hint: diagnosis.hint,
      links: diagnosis.links,
      ...(diagnosis.reauthorize ? { reauthorize: driver.role } : {}),
      transcript: redactLines(transcript, secrets),
    };
  } finally {
    deadline.clear();
    input.signal?.removeEventListener("abort", tearDown);
    const client = session.client;
    if (client) setTimeout(() => client.close(), 1000).unref();
    else session.socket?.destroy();
  }
}
