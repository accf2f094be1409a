/**
 * Vitest helpers for the SMTP relay: the connected mail stack (sandbox + authorized SMTP sender), the
 * relay runtime on a free port with the app's certificate, credentials, and nodemailer clients.
 */
import nodemailer from "nodemailer";
import type SMTPTransport from "nodemailer/lib/smtp-transport";
import type { RunningSandbox } from "@mail-connect/m365-sandbox";
import type { RelayRuntimeOptions } from "@/lib/relay/relay-runtime";
import { ADMIN } from "./sandbox-oauth";

export type RelayHandle = Awaited<ReturnType<typeof startRelay>>;

/** The relay enabled and listening (port 0), forwarding to the sandbox (its CA trusted). */
export async function startRelay(
  sandbox: RunningSandbox,
  options: Pick<RelayRuntimeOptions, "socketTimeoutMs" | "closeTimeoutMs" | "limits"> = {},
) {
  const { loadOrCreateCertificate } = await import("@/lib/runtime/tls-certificate");
  const { startRelayRuntime } = await import("@/lib/relay/relay-runtime");
  const { setRelayEnabled } = await import("@/lib/relay/relay-repository");
  const tls = await loadOrCreateCertificate();
  await setRelayEnabled(true, ADMIN.email);
  const runtime = startRelayRuntime({
    key: tls.key,
    cert: tls.cert,
    port: 0,
    host: "127.0.0.1",
    pollMs: 60_000,
    upstream: { tls: { ca: sandbox.caCert } },
    ...options,
  });
  await runtime.sync();
  const port = runtime.port();
  if (!port) throw new Error("the relay did not start");
  return { runtime, port, cert: tls.cert };
}

export async function createRelayCredential(
  name: string,
  values: Partial<{ allowedFrom: string; allowedCidrs: string; ratePerMinute: number }> = {},
) {
  const { relayCredentialSchema } = await import("@/lib/relay/client-safe/credential-schema");
  const { createCredential } = await import("@/lib/relay/credential-repository");
  return createCredential(
    relayCredentialSchema.parse({
      name,
      allowedFrom: values.allowedFrom ?? "mailer@contoso.test",
      allowedCidrs: values.allowedCidrs ?? "",
      ratePerMinute: values.ratePerMinute ?? 30,
    }),
    ADMIN.email,
  );
}

/** A nodemailer client of the relay (STARTTLS required, the relay's certificate trusted). */
export function relayClient(
  relay: { port: number; cert: string },
  auth: { user: string; pass: string } | null,
  extra: Partial<SMTPTransport.Options> = {},
) {
  return nodemailer.createTransport({
    host: "127.0.0.1",
    port: relay.port,
    secure: false,
    requireTLS: true,
    tls: { ca: relay.cert, servername: "localhost" },
    ...(auth ? { auth } : {}),
    ...extra,
  });
}

/** The SMTP error of a failed send: its reply line ("550 5.7.1 …"). */
export async function refusal(send: Promise<unknown>): Promise<string> {
  try {
    await send;
  } catch (error) {
    const e = error as { response?: string; message: string };
    return e.response ?? e.message;
  }
  throw new Error("the message was accepted");
}
