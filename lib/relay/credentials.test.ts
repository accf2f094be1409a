import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { isCidr, relayCredentialSchema } from "@/lib/relay/client-safe/credential-schema";
import { sourceAllowed } from "@/lib/relay/credential-repository";
import { generateRelaySecret, hashRelaySecret, relaySecretMatches } from "@/lib/relay/credential-secret";
import { senderAddresses } from "@/lib/relay/message-headers";
import { isLoopback } from "@/lib/relay/smtp-listener";

describe("relay credential secrets", () => {
  it("are 256 random bits, stored as a keyed HMAC-SHA-256 and compared in constant time", () => {
    const a = generateRelaySecret();
    expect(a).toMatch(/^mcr_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a.slice(4), "base64url")).toHaveLength(32);
    expect(generateRelaySecret()).not.toBe(a);
    const key = randomBytes(32);
    const stored = hashRelaySecret(a, key);
    expect(stored).toMatch(/^[0-9a-f]{64}$/);
    expect(stored).not.toContain(a.slice(4, 20));
    expect(relaySecretMatches(a, stored, key)).toBe(true);
    expect(relaySecretMatches(`${a}x`, stored, key)).toBe(false);
    expect(relaySecretMatches(a, "00", key)).toBe(false);
    expect(relaySecretMatches(a, stored, randomBytes(32))).toBe(false);
  });
});

describe("the credential form's schema", () => {
  it("lower-cases the name and the From addresses, splits lists, refuses bad entries as field errors", () => {
    const ok = relayCredentialSchema.parse({
      name: "FlexDeploy",
      allowedFrom: "Mailer@Contoso.test\nshared@contoso.test, mailer@contoso.test",
      allowedCidrs: "10.0.0.0/8\n192.0.2.7 2001:db8::/32",
      ratePerMinute: "12",
    });
    expect(ok).toEqual({
      name: "flexdeploy",
      allowedFrom: ["mailer@contoso.test", "shared@contoso.test"],
      allowedCidrs: ["10.0.0.0/8", "192.0.2.7", "2001:db8::/32"],
      ratePerMinute: 12,
    });
    const bad = relayCredentialSchema.safeParse({
      name: "a b",
      allowedFrom: "nope",
      allowedCidrs: "10.0.0.0/40",
      ratePerMinute: 31,
    });
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => i.path.join("."));
    expect(paths).toEqual(expect.arrayContaining(["name", "allowedFrom", "allowedCidrs", "ratePerMinute"]));
    expect(
      relayCredentialSchema.safeParse({ name: "x1", allowedFrom: "", allowedCidrs: "", ratePerMinute: 1 }).success,
    ).toBe(false);
  });

  it("CIDR syntax", () => {
    for (const v of ["10.0.0.0/8", "127.0.0.1", "::1", "2001:db8::/32", "0.0.0.0/0"]) expect(isCidr(v), v).toBe(true);
    for (const v of ["10.0.0.0/33", "256.1.1.1", "10.0.0.0/8/1", "host.example", "::1/129", ""])
      expect(isCidr(v), v).toBe(false);
  });
});

describe("allowed source addresses", () => {
  it("matches IPv4 (also IPv4-mapped IPv6) and IPv6 CIDRs; an empty list allows any source", () => {
    expect(sourceAllowed([], "203.0.113.9")).toBe(true);
    expect(sourceAllowed(["10.0.0.0/8"], "10.2.3.4")).toBe(true);
    expect(sourceAllowed(["10.0.0.0/8"], "::ffff:10.2.3.4")).toBe(true);
    expect(sourceAllowed(["10.0.0.0/8"], "11.0.0.1")).toBe(false);
    expect(sourceAllowed(["192.0.2.7"], "192.0.2.7")).toBe(true);
    expect(sourceAllowed(["2001:db8::/32"], "2001:db8:1::5")).toBe(true);
    expect(sourceAllowed(["2001:db8::/32"], "2001:db9::5")).toBe(false);
  });

  it("loopback may authenticate before STARTTLS; nothing else", () => {
    expect(isLoopback("127.0.0.1")).toBe(true);
    expect(isLoopback("::ffff:127.0.0.1")).toBe(true);
    expect(isLoopback("::1")).toBe(true);
    expect(isLoopback("10.0.0.1")).toBe(false);
    expect(isLoopback(undefined)).toBe(false);
  });
});

describe("From: and Sender: of a raw message", () => {
  it("reads every address of both headers (folded, named, grouped), not those of the body", () => {
    const raw = Buffer.from(
      [
        'From: "Zoë, Mailer" <Mailer@Contoso.test>,',
        " other@contoso.test",
        "Sender: team: a@contoso.test, b@contoso.test;",
        "Subject: From: fake@evil.test",
        "",
        "From: body@evil.test",
      ].join("\r\n"),
    );
    expect(senderAddresses(raw)).toEqual({
      from: ["mailer@contoso.test", "other@contoso.test"],
      sender: ["a@contoso.test", "b@contoso.test"],
    });
  });
});
