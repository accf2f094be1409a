import { createHash, createPrivateKey, randomBytes, X509Certificate } from "node:crypto";
import forge from "node-forge";
import { generate } from "selfsigned";
import { describe, expect, it } from "vitest";
import { type CertificateCredential, readCertificateUpload } from "@/lib/microsoft/certificate/certificate-credential";
import { certificateDetails } from "@/lib/microsoft/certificate/certificate-details";
import { generateCertificate } from "@/lib/microsoft/certificate/certificate-generate";
import { certificateUploadSchema } from "@/lib/settings/client-safe/email-schema";

/** Issue 13 section 3: every credential is checked before it is stored; fixtures are made here, never committed. */

const good = generateCertificate({ subject: "Mail Connect test" });
const other = generateCertificate();

const pem = (c: CertificateCredential, privateKey = c.privateKeyPem, password = "") =>
  readCertificateUpload({ kind: "pem", certificate: c.certificatePem, privateKey, password });

function pfxOf(c: CertificateCredential, password: string): string {
  const p12 = forge.pkcs12.toPkcs12Asn1(
    forge.pki.privateKeyFromPem(c.privateKeyPem),
    [forge.pki.certificateFromPem(c.certificatePem)],
    password,
    { algorithm: "3des" },
  );
  return forge.util.encode64(forge.asn1.toDer(p12).getBytes());
}

describe("generated certificate", () => {
  it("is an RSA 2048 key and a self-signed SHA-256 certificate valid one year; the thumbprint is the SHA-256 of its DER", () => {
    const x509 = new X509Certificate(good.certificatePem);
    const key = createPrivateKey(good.privateKeyPem);
    expect(key.asymmetricKeyType).toBe("rsa");
    expect(key.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(x509.checkPrivateKey(key)).toBe(true);
    expect(x509.verify(x509.publicKey)).toBe(true); // self-signed
    expect(x509.subject).toBe("CN=Mail Connect test");
    expect(forge.pki.certificateFromPem(good.certificatePem).siginfo.algorithmOid).toBe(
      forge.pki.oids.sha256WithRSAEncryption,
    );
    const days = (new Date(x509.validTo).getTime() - new Date(x509.validFrom).getTime()) / 86_400_000;
    expect(Math.round(days)).toBe(365);
    const details = certificateDetails(good.certificatePem);
    expect(details.thumbprintSha256).toBe(createHash("sha256").update(x509.raw).digest("hex").toUpperCase());
    expect(details.state).toBe("valid");
    expect(good.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  });

  it("an upload of 'generate' makes a new key each time", () => {
    const a = readCertificateUpload({ kind: "generate" });
    const b = readCertificateUpload({ kind: "generate" });
    expect(certificateDetails(a.certificatePem).thumbprintSha256).not.toBe(
      certificateDetails(b.certificatePem).thumbprintSha256,
    );
    expect(new X509Certificate(a.certificatePem).subject).toBe("CN=Mail Connect");
  });

  it("expiry states: expires-soon within 30 days, expired after", () => {
    const notAfter = new Date(new X509Certificate(good.certificatePem).validTo).getTime();
    expect(certificateDetails(good.certificatePem, new Date(notAfter - 10 * 86_400_000)).state).toBe("expires-soon");
    expect(certificateDetails(good.certificatePem, new Date(notAfter + 1000)).state).toBe("expired");
  });
});

describe("PEM upload", () => {
  it("a certificate with its key (PKCS#8 or PKCS#1) is accepted; the key comes out as PKCS#8", () => {
    expect(pem(good).certificatePem).toBe(new X509Certificate(good.certificatePem).toString());
    const pkcs1 = createPrivateKey(good.privateKeyPem).export({ type: "pkcs1", format: "pem" }).toString();
    expect(pkcs1).toMatch(/BEGIN RSA PRIVATE KEY/);
    expect(pem(good, pkcs1).privateKeyPem).toBe(good.privateKeyPem);
  });

  it("not a certificate", () => {
    expect(() =>
      readCertificateUpload({ kind: "pem", certificate: "hello", privateKey: good.privateKeyPem, password: "" }),
    ).toThrow(/not a certificate/);
    expect(() =>
      readCertificateUpload({
        kind: "pem",
        certificate: good.privateKeyPem,
        privateKey: good.privateKeyPem,
        password: "",
      }),
    ).toThrow(/not a certificate/);
  });

  it("a key that does not match the certificate", () => {
    expect(() => pem(good, other.privateKeyPem)).toThrow(/does not match the certificate/);
  });

  it("an expired certificate, and one not valid yet", () => {
    const old = generateCertificate({ now: new Date(Date.now() - 2 * 365 * 86_400_000) });
    expect(() => pem(old)).toThrow(/expired on/);
    const future = generateCertificate({ now: new Date(Date.now() + 2 * 86_400_000) });
    expect(() => pem(future)).toThrow(/not valid before/);
  });

  it("an RSA key under 2048 bits", () => {
    const weak = generateCertificate({ bits: 1024 });
    expect(() => pem(weak)).toThrow(/1024 bits: use 2048 bits or more/);
  });

  it("an encrypted key: without its password, with a wrong one, with the right one", () => {
    const encrypted = createPrivateKey(good.privateKeyPem)
      .export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: "s3cret" })
      .toString();
    expect(encrypted).toMatch(/ENCRYPTED PRIVATE KEY/);
    expect(() => pem(good, encrypted)).toThrow(/encrypted: enter its password/);
    expect(() => pem(good, encrypted, "wrong")).toThrow(/password is wrong/);
    expect(pem(good, encrypted, "s3cret").privateKeyPem).toBe(good.privateKeyPem);
  });

  it("a key file that is not a key", () => {
    expect(() => pem(good, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")).toThrow(
      /not a PEM private key/,
    );
  });

  it("a non-RSA (EC) key", async () => {
    const ec = await generate([{ name: "commonName", value: "ec" }], { keyType: "ec", curve: "P-256" });
    expect(() =>
      readCertificateUpload({ kind: "pem", certificate: ec.cert, privateKey: ec.private, password: "" }),
    ).toThrow(/EC: Microsoft Entra certificate credentials signed by MSAL need an RSA key/);
  });
});

describe("PFX upload", () => {
  it("round trip: a PFX made with node-forge gives the same certificate and key", () => {
    const read = readCertificateUpload({ kind: "pfx", pfxBase64: pfxOf(good, "pfx-pass"), password: "pfx-pass" });
    expect(certificateDetails(read.certificatePem).thumbprintSha256).toBe(
      certificateDetails(good.certificatePem).thumbprintSha256,
    );
    expect(read.privateKeyPem).toBe(good.privateKeyPem);
  });

  it("a wrong PFX password", () => {
    expect(() => readCertificateUpload({ kind: "pfx", pfxBase64: pfxOf(good, "pfx-pass"), password: "nope" })).toThrow(
      "The PFX password is wrong.",
    );
  });

  it("not a PFX", () => {
    expect(() =>
      readCertificateUpload({ kind: "pfx", pfxBase64: randomBytes(300).toString("base64"), password: "" }),
    ).toThrow("This file is not a PFX (PKCS#12) file.");
  });

  it("an expired certificate inside a PFX", () => {
    const old = generateCertificate({ now: new Date(Date.now() - 2 * 365 * 86_400_000) });
    expect(() => readCertificateUpload({ kind: "pfx", pfxBase64: pfxOf(old, "p"), password: "p" })).toThrow(
      /expired on/,
    );
  });
});

describe("upload schema (the size limit and shape, before any parsing)", () => {
  it("refuses oversized files, unknown keys and a PFX that is not base64", () => {
    const big = "A".repeat(20_001);
    expect(certificateUploadSchema.safeParse({ kind: "pem", certificate: big, privateKey: "k" }).success).toBe(false);
    expect(certificateUploadSchema.safeParse({ kind: "pfx", pfxBase64: "A".repeat(60_004) }).success).toBe(false);
    expect(certificateUploadSchema.safeParse({ kind: "pfx", pfxBase64: "not base64!" }).success).toBe(false);
    expect(certificateUploadSchema.safeParse({ kind: "generate", extra: 1 }).success).toBe(false);
    expect(certificateUploadSchema.safeParse({ kind: "generate" }).success).toBe(true);
  });
});
