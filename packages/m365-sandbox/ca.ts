import { X509Certificate } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { generate } from "selfsigned";

/**
 * The sandbox's own certificate authority and TLS server certificate, created once in the data
 * directory and reused, so an app started later (with NODE_EXTRA_CA_CERTS pointing at the bundle)
 * keeps trusting the sandbox across restarts.
 */

export const SYSTEM_CA_FILE = "/etc/ssl/certs/ca-certificates.crt";

export interface SandboxTls {
  caCert: string;
  caCertFile: string;
  /** System CAs + sandbox CA: what the app's NODE_EXTRA_CA_CERTS should point at. */
  caBundleFile: string;
  serverKey: string;
  serverCert: string;
}

const DAY = 24 * 3600 * 1000;

function usable(certPem: string, caPem: string | null): boolean {
  try {
    const cert = new X509Certificate(certPem);
    if (new Date(cert.validTo).getTime() < Date.now() + DAY) return false;
    if (caPem) {
      const ca = new X509Certificate(caPem);
      if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) return false;
      if (!cert.checkIP("127.0.0.1") || !cert.checkHost("localhost")) return false;
    }
    return true;
  } catch {
    return false;
  }
}

export async function ensureTls(dataDir: string): Promise<SandboxTls> {
  mkdirSync(dataDir, { recursive: true });
  const caKeyFile = join(dataDir, "ca-key.pem");
  const caCertFile = join(dataDir, "ca-cert.pem");
  const serverKeyFile = join(dataDir, "server-key.pem");
  const serverCertFile = join(dataDir, "server-cert.pem");
  const caBundleFile = join(dataDir, "ca-bundle.pem");

  let caKey = existsSync(caKeyFile) ? readFileSync(caKeyFile, "utf8") : null;
  let caCert = existsSync(caCertFile) ? readFileSync(caCertFile, "utf8") : null;
  let regenerateServer = false;
  if (!caKey || !caCert || !usable(caCert, null)) {
    const now = new Date(Date.now() - DAY);
    const ca = await generate(
      [
        { name: "commonName", value: "Mail Connect Sandbox CA" },
        { name: "organizationName", value: "Mail Connect sandbox (local testing only)" },
      ],
      {
        keyType: "ec",
        curve: "P-256",
        algorithm: "sha256",
        notBeforeDate: now,
        notAfterDate: new Date(now.getTime() + 10 * 365 * DAY),
        extensions: [
          { name: "basicConstraints", cA: true, critical: true },
          { name: "keyUsage", keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
        ],
      },
    );
    caKey = ca.private;
    caCert = ca.cert;
    writeFileSync(caKeyFile, caKey, { mode: 0o600 });
    writeFileSync(caCertFile, caCert);
    regenerateServer = true;
  }

  let serverKey = existsSync(serverKeyFile) ? readFileSync(serverKeyFile, "utf8") : null;
  let serverCert = existsSync(serverCertFile) ? readFileSync(serverCertFile, "utf8") : null;
  if (regenerateServer || !serverKey || !serverCert || !usable(serverCert, caCert)) {
    const now = new Date(Date.now() - DAY);
    const leaf = await generate([{ name: "commonName", value: "localhost" }], {
      keyType: "ec",
      curve: "P-256",
      algorithm: "sha256",
      notBeforeDate: now,
      notAfterDate: new Date(now.getTime() + 825 * DAY),
      ca: { key: caKey, cert: caCert },
      extensions: [
        { name: "basicConstraints", cA: false },
        { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
        { name: "extKeyUsage", serverAuth: true },
        {
          name: "subjectAltName",
          altNames: [
            { type: 7, ip: "127.0.0.1" },
            { type: 2, value: "localhost" },
            { type: 7, ip: "::1" },
          ],
        },
      ],
    });
    serverKey = leaf.private;
    serverCert = leaf.cert;
    writeFileSync(serverKeyFile, serverKey, { mode: 0o600 });
    writeFileSync(serverCertFile, serverCert);
  }

  const system = existsSync(SYSTEM_CA_FILE) ? readFileSync(SYSTEM_CA_FILE, "utf8") : "";
  const bundle = `${system.trimEnd()}${system ? "\n" : ""}# Mail Connect Sandbox CA\n${caCert.trim()}\n`;
  if (!existsSync(caBundleFile) || readFileSync(caBundleFile, "utf8") !== bundle) writeFileSync(caBundleFile, bundle);

  return { caCert, caCertFile, caBundleFile, serverKey, serverCert };
}
