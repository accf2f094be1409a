import { describe, expect, it, vi } from "vitest";
import type { DiagnosisContext, MailFailure } from "@/lib/mail/diagnosis";
import { type MailAuth, type MailCheckDriver, runMailCheck } from "@/lib/mail/mail-check";
import { REDACTED } from "@/lib/mail/redact";

/** The harness with a fake protocol: no socket, no server. */

const TOKEN = "tok-0123456789-abcdef";

type Fake = {
  auth?: MailAuth | Promise<MailAuth | null>;
  overallTimeoutMs?: number;
  /** What the exchange does after authenticating; default: succeeds. */
  exchange?: () => Promise<void>;
  startTlsRefused?: boolean;
  reauthorize?: boolean;
};

function fakeDriver(fake: Fake = {}) {
  const seen: { failure?: MailFailure; ctx?: DiagnosisContext; closed: number } = { closed: 0 };
  const driver: MailCheckDriver<MailAuth> = {
    role: "smtp",
    from: "sender@contoso.test",
    input: {
      host: "mail.contoso.test",
      port: 587,
      security: "starttls",
      auth: fake.auth ?? {
        kind: "xoauth2",
        user: "mailer@contoso.test",
        accessToken: TOKEN,
        account: "who@contoso.test",
      },
      mailbox: "mailer@contoso.test",
      connectTimeoutMs: 1000,
      overallTimeoutMs: fake.overallTimeoutMs ?? 5000,
    },
    async connect(session) {
      session.clock.begin("DNS + connect", "mail.contoso.test:587");
      session.client = { close: () => seen.closed++ };
      session.transcript.push("S: 220 ready");
    },
    async exchange(auth, { clock, transcript }) {
      clock.begin("authenticate");
      transcript.push(`C: AUTH XOAUTH2 ${auth.kind === "xoauth2" ? auth.accessToken : "-"}`);
      transcript.push(`S: 235 accepted ${auth.kind === "xoauth2" ? auth.accessToken : ""}`);
      await fake.exchange?.();
      clock.end(true);
      return { summary: "all good", serverResponse: `250 queued as ${TOKEN}`, facts: { sent: 1 } };
    },
    readFailure(err, { timeout, lastServerLine }) {
      return {
        code: err.code,
        response: lastServerLine,
        timeout,
        shown: `${lastServerLine} / ${err.message}`,
        startTlsRefused: fake.startTlsRefused ?? false,
      };
    },
    diagnose(failure, ctx) {
      seen.failure = failure;
      seen.ctx = ctx;
      return {
        summary: `failed during ${failure.phase}`,
        hint: "fix it",
        links: [],
        ...(fake.reauthorize ? { reauthorize: "smtp" as const } : {}),
      };
    },
  };
  return { driver, seen };
}

describe("runMailCheck", () => {
  it("shapes a success: phases, summary, facts, no hint; the token is redacted from the reply and the transcript", async () => {
    const result = await runMailCheck(fakeDriver().driver);
    expect(result).toMatchObject({ ok: true, summary: "all good", hint: null, facts: { sent: 1 } });
    expect(result?.phases.map((p) => [p.name, p.ok])).toEqual([
      ["DNS + connect", true],
      ["authenticate", true],
    ]);
    expect(result?.serverResponse).toBe(`250 queued as ${REDACTED}`);
    expect(result?.transcript).toEqual(["S: 220 ready", `C: AUTH XOAUTH2 ${REDACTED}`, `S: 235 accepted ${REDACTED}`]);
    expect(JSON.stringify(result)).not.toContain(TOKEN);
  });

  it("redacts a password that arrives later, as a token wait phase, while the connection was ready", async () => {
    const pass = "correct horse battery";
    const auth = new Promise<MailAuth>((resolve) =>
      setTimeout(() => resolve({ kind: "password", user: "mailer@contoso.test", pass }), 20),
    );
    const { driver } = fakeDriver({ auth, exchange: async () => Promise.reject(new Error(`bad pass ${pass}`)) });
    const result = await runMailCheck(driver);
    expect(result?.phases.map((p) => p.name)).toEqual(["DNS + connect", "token wait", "authenticate"]);
    expect(result?.phases.find((p) => p.name === "token wait")?.detail).toBe(
      "connection ready before the Microsoft token",
    );
    expect(result?.serverResponse).toBe(`235 accepted  / bad pass ${REDACTED}`);
    expect(JSON.stringify(result)).not.toContain(pass);
  });

  it("no credentials (no token): no result, and the client is closed", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const { driver, seen } = fakeDriver({ auth: Promise.resolve(null) });
      expect(await runMailCheck(driver)).toBeNull();
      expect(seen.closed).toBe(0); // a moment for the protocol's goodbye
      vi.advanceTimersByTime(1000);
      expect(seen.closed).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it("the overall deadline stops a check that hangs, tears the client down and diagnoses an overall timeout", async () => {
    const { driver, seen } = fakeDriver({ overallTimeoutMs: 50, exchange: () => new Promise<void>(() => undefined) });
    const result = await runMailCheck(driver);
    expect(result).toMatchObject({ ok: false, summary: "failed during authenticate", hint: "fix it", links: [] });
    expect(seen.failure).toMatchObject({
      phase: "authenticate",
      timeout: "overall",
      response: `235 accepted ${TOKEN}`,
    });
    expect(seen.closed).toBeGreaterThanOrEqual(1);
    expect(result?.phases.at(-1)).toMatchObject({ name: "authenticate", ok: false });
    expect(result?.reauthorize).toBeUndefined();
  });

  it("a failure: the diagnoses see the mailbox, who signed in and the auth type; Re-Authorize names the role", async () => {
    const { driver, seen } = fakeDriver({
      reauthorize: true,
      exchange: async () => Promise.reject(Object.assign(new Error("refused"), { code: "EAUTH" })),
    });
    const result = await runMailCheck(driver);
    expect(seen.ctx).toMatchObject({
      role: "smtp",
      host: "mail.contoso.test",
      port: 587,
      authType: "microsoft",
      mailbox: "mailer@contoso.test",
      from: "sender@contoso.test",
      tokenAccount: "who@contoso.test",
    });
    expect(seen.failure).toMatchObject({ code: "EAUTH", message: "refused", phase: "authenticate" });
    expect(result).toMatchObject({
      ok: false,
      reauthorize: "smtp",
      serverResponse: `235 accepted ${REDACTED} / refused`,
    });
  });

  it("STARTTLS refused: the shared diagnosis, not the protocol's", async () => {
    const { driver, seen } = fakeDriver({
      startTlsRefused: true,
      exchange: async () => Promise.reject(new Error("STARTTLS unavailable")),
    });
    const result = await runMailCheck(driver);
    expect(seen.failure).toBeUndefined();
    expect(result?.summary).toBe(
      "STARTTLS unavailable: mail.contoso.test:587 does not offer STARTTLS, so nothing was sent.",
    );
  });
});
