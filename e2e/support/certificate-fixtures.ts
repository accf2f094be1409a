import { createPrivateKey, generateKeyPairSync } from "node:crypto";
import forge from "node-forge";

/** Test-only certificates and keys for the upload specs, made when the spec runs (none is committed). */
export type Fixture = { certificate: string; privateKey: string };

export function selfSigned(options: { bits?: number; notBefore?: Date; notAfter?: Date } = {}): Fixture {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: options.bits ?? 2048 });
  const keyPem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const key = forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = "01";
  cert.validity.notBefore = options.notBefore ?? new Date(Date.now() - 60_000);
  cert.validity.notAfter = options.notAfter ?? new Date(Date.now() + 365 * 86_400_000);
  const name = [{ name: "commonName", value: "e2e upload" }];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.sign(key, forge.md.sha256.create());
  return { certificate: forge.pki.certificateToPem(cert), privateKey: keyPem };
}

export function pfxOf(f: Fixture, password: string): Buffer {
  const p12 = forge.pkcs12.toPkcs12Asn1(
    forge.pki.privateKeyFromPem(createPrivateKey(f.privateKey).export({ type: "pkcs1", format: "pem" }).toString()),
    [forge.pki.certificateFromPem(f.certificate)],
    password,
    { algorithm: "3des" },
  );
  return Buffer.from(forge.asn1.toDer(p12).getBytes(), "binary");
}
