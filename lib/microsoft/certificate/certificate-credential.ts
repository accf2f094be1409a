import "server-only";
import { createPrivateKey, type KeyObject, X509Certificate } from "node:crypto";
import forge from "node-forge";
import type { CertificateUpload } from "@/lib/settings/client-safe/email-schema";
import { generateCertificate } from "@/lib/microsoft/certificate/certificate-generate";

/**
 * A certificate credential from what the admin uploaded (a PEM certificate + private key, or a PFX
 * and its password) or asked the server to generate, checked before anything is stored: a
 * certificate, an RSA key of 2048 bits or more that matches it, valid now. The private key comes out
 * as unencrypted PKCS#8 PEM (what MSAL's `clientCertificate.privateKey` takes); the caller encrypts
 * it at rest. Messages are field errors written for the admin; they never quote the key.
 */
export type CertificateCredential = {
  /** The certificate alone, PEM (MSAL's `x5c`, the `.cer` download). */
  certificatePem: string;
  /** PKCS#8 PEM, unencrypted: only ever encrypted at rest and given to MSAL. */
  privateKeyPem: string;
};

export const MIN_RSA_BITS = 2048;

export class CertificateUploadError extends Error {}

const refuse = (message: string): never => {
  throw new CertificateUploadError(message);
};

function readCertificate(text: string): X509Certificate {
  try {
    return new X509Certificate(text);
  } catch {
    return refuse("This file is not a certificate: upload the certificate as PEM (-----BEGIN CERTIFICATE-----).");
  }
}

function readPemKey(text: string, password: string): KeyObject {
  const encrypted = /ENCRYPTED/.test(text);
  if (encrypted && !password)
    refuse("This private key is encrypted: enter its password, or upload the key without a password.");
  try {
    return createPrivateKey({ key: text, format: "pem", ...(encrypted ? { passphrase: password } : {}) });
  } catch {
    return refuse(
      encrypted
        ? "The private key's password is wrong (the key could not be decrypted)."
        : "The private key file is not a PEM private key (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----).",
    );
  }
}

/** The checks every credential passes, whatever it came from. */
function validated(cert: X509Certificate, key: KeyObject, now: Date): CertificateCredential {
  if (key.asymmetricKeyType !== "rsa")
    refuse(
      `The private key is ${key.asymmetricKeyType?.toUpperCase() ?? "not RSA"}: Microsoft Entra certificate credentials signed by MSAL need an RSA key.`,
    );
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS) refuse(`The RSA key has ${bits} bits: use ${MIN_RSA_BITS} bits or more.`);
  if (!cert.checkPrivateKey(key))
    refuse("The private key does not match the certificate: upload the key the certificate was issued for.");
  if (new Date(cert.validTo).getTime() <= now.getTime())
    refuse(
      `This certificate expired on ${new Date(cert.validTo).toISOString().slice(0, 10)}: upload a valid one or generate a new one.`,
    );
  if (new Date(cert.validFrom).getTime() > now.getTime())
    refuse(`This certificate is not valid before ${new Date(cert.validFrom).toISOString().slice(0, 10)}.`);
  return {
    certificatePem: cert.toString(),
    privateKeyPem: key.export({ type: "pkcs8", format: "pem" }).toString(),
  };
}

function readPfx(base64: string, password: string): { cert: X509Certificate; key: KeyObject } {
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    const asn1 = forge.asn1.fromDer(forge.util.decode64(base64));
    p12 = forge.pkcs12.pkcs12FromAsn1(asn1, password);
  } catch (err) {
    const message = err instanceof Error ? err.message : "";
    return refuse(
      /MAC could not be verified|Invalid password|decrypt/i.test(message)
        ? "The PFX password is wrong."
        : "This file is not a PFX (PKCS#12) file.",
    );
  }
  const bagsOf = (type: string) => p12.getBags({ bagType: type })[type] ?? [];
  const keyBag = [...bagsOf(forge.pki.oids.pkcs8ShroudedKeyBag), ...bagsOf(forge.pki.oids.keyBag)][0];
  if (!keyBag) refuse("This PFX holds no private key: export it with its private key.");
  if (!keyBag?.key)
    return refuse(
      "The PFX's private key is not RSA: Microsoft Entra certificate credentials signed by MSAL need an RSA key.",
    );
  const key = createPrivateKey(forge.pki.privateKeyToPem(keyBag.key));
  const certs = bagsOf(forge.pki.oids.certBag)
    .filter((b) => b.cert)
    .map((b) => new X509Certificate(forge.pki.certificateToPem(b.cert!)));
  if (!certs.length) refuse("This PFX holds no certificate.");
  return { cert: certs.find((c) => c.checkPrivateKey(key)) ?? certs[0]!, key };
}

/** The credential for an upload; throws CertificateUploadError with the field error. */
export function readCertificateUpload(upload: CertificateUpload, now = new Date()): CertificateCredential {
  if (upload.kind === "generate") return generateCertificate({ subject: upload.subject, now });
  if (upload.kind === "pfx") {
    const { cert, key } = readPfx(upload.pfxBase64, upload.password);
    return validated(cert, key, now);
  }
  return validated(readCertificate(upload.certificate), readPemKey(upload.privateKey, upload.password), now);
}
