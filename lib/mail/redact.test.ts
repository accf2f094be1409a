import { describe, expect, it } from "vitest";
import { redact, REDACTED } from "@/lib/mail/redact";

const jwt =
  "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL291dGxvb2sub2ZmaWNlLmNvbSJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ";
const xoauth2 = Buffer.from(`user=mailer@contoso.com\x01auth=Bearer ${jwt}\x01\x01`).toString("base64");
const plain = Buffer.from("\x00mailer@contoso.com\x00S3cret-Passw0rd!").toString("base64");

describe("redact", () => {
  it("removes the known secrets, also base64-encoded", () => {
    const out = redact(`token ${jwt} and ${Buffer.from("S3cret-Passw0rd!").toString("base64")} and S3cret-Passw0rd!`, [
      jwt,
      "S3cret-Passw0rd!",
    ]);
    expect(out).not.toContain(jwt);
    expect(out).not.toContain("S3cret-Passw0rd!");
    expect(out).not.toContain(Buffer.from("S3cret-Passw0rd!").toString("base64"));
  });

  it("removes SASL payloads on AUTH / AUTHENTICATE lines even when the secret is unknown", () => {
    expect(redact(`C: AUTH XOAUTH2 ${xoauth2}`)).toBe(`C: AUTH XOAUTH2 ${REDACTED}`);
    expect(redact(`C: A3 AUTHENTICATE XOAUTH2 ${xoauth2}`)).toBe(`C: A3 AUTHENTICATE XOAUTH2 ${REDACTED}`);
    expect(redact(`C: AUTH PLAIN ${plain}`)).toBe(`C: AUTH PLAIN ${REDACTED}`);
    expect(redact(`C: ${xoauth2}`)).toBe(`C: ${REDACTED}`); // a continuation line
    expect(redact(`C: ${plain}`)).toBe(`C: ${REDACTED}`);
  });

  it("removes JWTs, Bearer values and password-like fields, keeps ordinary server replies", () => {
    expect(redact(`got ${jwt}`)).toBe(`got ${REDACTED}`);
    expect(redact("user=a@b.c\x01auth=Bearer abc.def-ghi\x01")).toBe(`user=a@b.c\x01auth=Bearer ${REDACTED}\x01`);
    expect(redact("Authorization: Bearer 0123456789abcdefXYZ")).toBe(`Authorization: Bearer ${REDACTED}`);
    expect(redact('{"password":"hunter22"} pass=xyz12345')).toBe(`{"password":"${REDACTED}"} pass=${REDACTED}`);
    const reply =
      "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. [SBX1PR01MB0001.sandbox.prod.outlook.test]";
    expect(redact(reply)).toBe(reply);
    expect(redact("250 2.0.0 OK <8D4F2A1B3C5E6F7A8B9C0D1E@SBX1PR01MB0001> Queued mail for delivery")).toBe(
      "250 2.0.0 OK <8D4F2A1B3C5E6F7A8B9C0D1E@SBX1PR01MB0001> Queued mail for delivery",
    );
    expect(redact("A5 BAD User is authenticated but not connected.")).toBe(
      "A5 BAD User is authenticated but not connected.",
    );
  });
});
