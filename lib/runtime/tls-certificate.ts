import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { X509Certificate } from "node:crypto";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { dataPath } from "@/lib/runtime/data-dir";

export type TlsMaterial = { key: string; cert: string; source: string };

/**
 * The HTTPS certificate: TLS_CERT_FILE + TLS_KEY_FILE when given (your own certificate), otherwise a
 * self-signed one for localhost, 127.0.0.1 and ::1 generated once into DATA_DIR/tls and renewed when
 * it is about to expire.
 */
type Generate = typeof import("selfsigned").generate;

/**
 * selfsigned and its X.509 libraries take a while to load: they run in a worker thread, so that the
 * server's own start-up goes on meanwhile (on another core).
 */
function generateInWorker(...args: Parameters<Generate>): Promise<{ private: string; cert: string }> {
  const worker = new Worker(
    `const { parentPort, workerData } = require("node:worker_threads");
    import("selfsigned")
      .then(({ generate }) => generate(...workerData))
      .then((pems) => parentPort.postMessage({ private: pems.private, cert: pems.cert }));`,
    { eval: true, workerData: args },
  );
  return new Promise((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`certificate generation stopped (exit code ${code})`)));
  });
}

export async function loadOrCreateCertificate(): Promise<TlsMaterial> {
  const certFile = process.env.TLS_CERT_FILE;
  const keyFile = process.env.TLS_KEY_FILE;
  if (certFile || keyFile) {
    if (!certFile || !keyFile)
      throw new Error(
        "Set both TLS_CERT_FILE and TLS_KEY_FILE, or neither (a self-signed certificate is then generated).",
      );
    return { cert: readFileSync(certFile, "utf8"), key: readFileSync(keyFile, "utf8"), source: certFile };
  }
  const dir = dataPath("tls");
  const files = { cert: path.join(dir, "cert.pem"), key: path.join(dir, "key.pem") };
  if (existsSync(files.cert) && existsSync(files.key)) {
    const cert = readFileSync(files.cert, "utf8");
    const validTo = new Date(new X509Certificate(cert).validTo);
    if (validTo.getTime() - Date.now() > 7 * 24 * 3600 * 1000) {
      return { cert, key: readFileSync(files.key, "utf8"), source: files.cert };
    }
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const notBeforeDate = new Date(Date.now() - 60_000);
  const generated = await generateInWorker(
    [
      { name: "commonName", value: "localhost" },
      { name: "organizationName", value: "Mail Connect (self-signed)" },
    ],
    {
      keyType: "ec",
      curve: "P-256",
      algorithm: "sha256",
      notBeforeDate,
      notAfterDate: new Date(notBeforeDate.getTime() + 397 * 24 * 3600 * 1000),
      extensions: [
        { name: "basicConstraints", cA: false },
        { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
        { name: "extKeyUsage", serverAuth: true },
        {
          name: "subjectAltName",
          altNames: [
            { type: 2, value: "localhost" },
            { type: 7, ip: "127.0.0.1" },
            { type: 7, ip: "::1" },
          ],
        },
      ],
    },
  );
  writeFileSync(files.key, generated.private, { mode: 0o600 });
  writeFileSync(files.cert, generated.cert, { mode: 0o644 });
  return { cert: generated.cert, key: generated.private, source: `${files.cert} (self-signed, generated)` };
}
