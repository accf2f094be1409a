import { request } from "node:https";
import { describe, expect, it } from "vitest";
import { msalFor, type TestSandbox, useTestSandbox } from "./fixture";
import { SEED_APP, SEED_SHARED_MAILBOX, SEED_USERS } from "./seed";

let sb: TestSandbox;
useTestSandbox((started) => {
  sb = started;
});

const GRAPH = "https://graph.microsoft.com";
const mailer = SEED_USERS.mailer.email;
const approvals = SEED_USERS.approvals.email;
const other = SEED_USERS.other.email;

type Answer = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

function post(path: string, token: string | null, body: Buffer | string, contentType: string): Promise<Answer> {
  const payload = typeof body === "string" ? Buffer.from(body) : body;
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, sb.authorityOrigin),
      {
        method: "POST",
        ca: sb.caCert,
        agent: false,
        headers: {
          "content-type": contentType,
          "content-length": String(payload.length),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }),
        );
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

function mime(from: string, to: string, subject: string, extra = ""): string {
  return Buffer.from(
    `From: ${from}\r\nTo: ${to}\r\n${extra}Subject: ${subject}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHello over Graph.\r\n`,
  ).toString("base64");
}

async function delegatedToken(user: string, scopes: string[], audience?: string): Promise<string> {
  const { accessToken } = await sb.control.issueAccessToken({ user, scopes, ...(audience ? { audience } : {}) });
  return accessToken;
}

function errorCode(a: Answer): string {
  return (JSON.parse(a.body) as { error: { code: string } }).error.code;
}

describe("Graph sendMail (sandbox)", () => {
  it("delegated Mail.Send: a base64 MIME body is answered 202 with no body and delivered, Bcc stripped", async () => {
    const token = await delegatedToken(mailer, [`${GRAPH}/Mail.Send`]);
    const a = await post(
      `/v1.0/users/${mailer}/sendMail`,
      token,
      mime(mailer, approvals, "graph mime", `Bcc: ${other}\r\n`),
      "text/plain",
    );
    expect(a.status).toBe(202);
    expect(a.body).toBe("");
    const inbox = await sb.control.messages(approvals);
    expect(inbox.map((m) => m.subject)).toContain("graph mime");
    const bcc = await sb.control.messages(other);
    expect(bcc.map((m) => m.subject)).toContain("graph mime");
    expect(bcc.find((m) => m.subject === "graph mime")?.raw).not.toMatch(/^Bcc:/im);
    const sent = await sb.control.messages(mailer, "Sent Items");
    expect(sent.map((m) => m.subject)).toContain("graph mime");
  });

  it("a JSON message to /me/sendMail is delivered, saveToSentItems false keeps no copy", async () => {
    const token = await delegatedToken(mailer, [`${GRAPH}/Mail.Send`]);
    const a = await post(
      "/v1.0/me/sendMail",
      token,
      JSON.stringify({
        message: {
          subject: "graph json",
          body: { contentType: "Text", content: "hi" },
          toRecipients: [{ emailAddress: { address: approvals } }],
          ccRecipients: [{ emailAddress: { address: other, name: "Other" } }],
        },
        saveToSentItems: false,
      }),
      "application/json",
    );
    expect(a.status).toBe(202);
    expect((await sb.control.messages(approvals)).map((m) => m.subject)).toContain("graph json");
    expect((await sb.control.messages(other)).map((m) => m.subject)).toContain("graph json");
    expect((await sb.control.messages(mailer, "Sent Items")).map((m) => m.subject)).not.toContain("graph json");
  });

  it("401 InvalidAuthenticationToken without a token and for an Outlook-audience token", async () => {
    const none = await post(`/v1.0/users/${mailer}/sendMail`, null, mime(mailer, approvals, "x"), "text/plain");
    expect(none.status).toBe(401);
    expect(errorCode(none)).toBe("InvalidAuthenticationToken");
    const outlook = await delegatedToken(mailer, ["https://outlook.office.com/SMTP.Send"]);
    const wrong = await post(`/v1.0/users/${mailer}/sendMail`, outlook, mime(mailer, approvals, "x"), "text/plain");
    expect(wrong.status).toBe(401);
    const body = JSON.parse(wrong.body) as { error: { code: string; innerError: Record<string, string> } };
    expect(body.error.code).toBe("InvalidAuthenticationToken");
    expect(body.error.innerError["request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("a national cloud's Graph audience is accepted", async () => {
    const token = await delegatedToken(mailer, ["https://graph.microsoft.us/Mail.Send"]);
    const a = await post(`/v1.0/users/${mailer}/sendMail`, token, mime(mailer, approvals, "usgov"), "text/plain");
    expect(a.status).toBe(202);
  });

  it("403 ErrorAccessDenied without Mail.Send, and for a shared mailbox without Mail.Send.Shared", async () => {
    const read = await delegatedToken(mailer, [`${GRAPH}/Mail.Read`]);
    const a = await post(`/v1.0/users/${mailer}/sendMail`, read, mime(mailer, approvals, "x"), "text/plain");
    expect(a.status).toBe(403);
    expect(errorCode(a)).toBe("ErrorAccessDenied");
    const delegate = SEED_USERS.delegate.email;
    const shared = SEED_SHARED_MAILBOX.email;
    const send = await delegatedToken(delegate, [`${GRAPH}/Mail.Send`]);
    const b = await post(`/v1.0/users/${shared}/sendMail`, send, mime(shared, approvals, "x"), "text/plain");
    expect(b.status).toBe(403);
    expect(errorCode(b)).toBe("ErrorAccessDenied");
    const sharedToken = await delegatedToken(delegate, [`${GRAPH}/Mail.Send.Shared`]);
    const c = await post(
      `/v1.0/users/${shared}/sendMail`,
      sharedToken,
      mime(shared, approvals, "shared"),
      "text/plain",
    );
    expect(c.status).toBe(202);
    // a user without Send As on the shared mailbox
    const mailerShared = await delegatedToken(mailer, [`${GRAPH}/Mail.Send.Shared`]);
    const d = await post(`/v1.0/users/${shared}/sendMail`, mailerShared, mime(shared, approvals, "x"), "text/plain");
    expect(d.status).toBe(403);
    // a From: the user may not send as
    const e = await post(`/v1.0/me/sendMail`, send, mime(shared, approvals, "x"), "text/plain");
    expect(e.status).toBe(403);
    expect(errorCode(e)).toBe("ErrorSendAsDenied");
  });

  it("404 ErrorInvalidUser for an unknown user, MailboxNotEnabledForRESTAPI for a user without a mailbox", async () => {
    const token = await delegatedToken(mailer, [`${GRAPH}/Mail.Send.Shared`]);
    const a = await post("/v1.0/users/nobody@contoso.test/sendMail", token, mime(mailer, approvals, "x"), "text/plain");
    expect(a.status).toBe(404);
    expect(errorCode(a)).toBe("ErrorInvalidUser");
    await sb.control.addUser({ email: "nomailbox@contoso.test", password: "pw-12345678", mailbox: false });
    const b = await post(
      "/v1.0/users/nomailbox@contoso.test/sendMail",
      token,
      mime(mailer, approvals, "x"),
      "text/plain",
    );
    expect(b.status).toBe(404);
    expect(errorCode(b)).toBe("MailboxNotEnabledForRESTAPI");
  });

  it("413 ErrorMessageSizeExceeded over 4 MB; 400 for a body that is not base64 MIME", async () => {
    const token = await delegatedToken(mailer, [`${GRAPH}/Mail.Send`]);
    const big = await post(`/v1.0/me/sendMail`, token, Buffer.alloc(4 * 1024 * 1024 + 10, 0x41), "text/plain");
    expect(big.status).toBe(413);
    expect(errorCode(big)).toBe("ErrorMessageSizeExceeded");
    const bad = await post(`/v1.0/me/sendMail`, token, "not base64 !!", "text/plain");
    expect(bad.status).toBe(400);
    expect(errorCode(bad)).toBe("ErrorMimeContentInvalidBase64String");
  });

  it("429 with Retry-After under the throttled fault, then 202 again", async () => {
    const token = await delegatedToken(mailer, [`${GRAPH}/Mail.Send`]);
    await sb.control.setGraphFault("throttled", { count: 1, retryAfterSeconds: 7 });
    const a = await post(`/v1.0/me/sendMail`, token, mime(mailer, approvals, "t"), "text/plain");
    expect(a.status).toBe(429);
    expect(a.headers["retry-after"]).toBe("7");
    const b = await post(`/v1.0/me/sendMail`, token, mime(mailer, approvals, "t"), "text/plain");
    expect(b.status).toBe(202);
    const calls = await sb.control.graphCalls();
    expect(calls.map((c) => c.status)).toEqual([429, 202]);
  });

  it("app-only: application Mail.Send with admin consent sends as any mailbox; without it 403", async () => {
    const msal = msalFor(sb);
    const noRole = await msal.acquireTokenByClientCredential({ scopes: [`${GRAPH}/.default`], skipCache: true });
    const a = await post(
      `/v1.0/users/${approvals}/sendMail`,
      noRole!.accessToken,
      mime(approvals, mailer, "app"),
      "text/plain",
    );
    expect(a.status).toBe(403);
    expect(errorCode(a)).toBe("ErrorAccessDenied");
    await sb.control.appOnly.setGraphAppPermissions(SEED_APP.clientId, ["Mail.Send"]);
    const withRole = await msal.acquireTokenByClientCredential({ scopes: [`${GRAPH}/.default`], skipCache: true });
    const b = await post(
      `/v1.0/users/${approvals}/sendMail`,
      withRole!.accessToken,
      mime(approvals, mailer, "app"),
      "text/plain",
    );
    expect(b.status).toBe(202);
    expect((await sb.control.messages(mailer)).map((m) => m.subject)).toContain("app");
    const me = await post(`/v1.0/me/sendMail`, withRole!.accessToken, mime(approvals, mailer, "app"), "text/plain");
    expect(me.status).toBe(400);
  });
});
