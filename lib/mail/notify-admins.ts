import "server-only";
import nodemailer from "nodemailer";
import type SMTPTransport from "nodemailer/lib/smtp-transport";
import { db } from "@/lib/db/client";
import { acquireMailToken } from "@/lib/microsoft/mail-token";
import { getEmailSettings, readSecret } from "@/lib/settings/email-repository";
import { unencryptedCredentialProblem } from "@/lib/settings/client-safe/requirements";

export type NotifyResult = { sent: true; to: string[] } | { sent: false; reason: string };

/**
 * Emails every administrator through the configured SMTP settings (Microsoft OAuth, password or
 * none). Used when a Microsoft connection fails in the background; if sending itself is what
 * failed, this reports why instead of throwing (the banner on every page still tells the admins).
 * `tls` is for tests (a private CA).
 */
export async function emailAdmins(
  subject: string,
  text: string,
  options: { tls?: { ca: string } } = {},
): Promise<NotifyResult> {
  try {
    const s = await getEmailSettings();
    if (!s.saved || !s.smtpHost || !s.smtpPort) return { sent: false, reason: "SMTP is not configured." };
    const admins = (await db.user.findMany({ select: { email: true } })).map((u) => u.email);
    if (admins.length === 0) return { sent: false, reason: "No administrator to notify." };
    const unencrypted = unencryptedCredentialProblem(s, "smtp");
    if (unencrypted) return { sent: false, reason: unencrypted };

    let auth: SMTPTransport.Options["auth"];
    if (s.smtpAuthType === "microsoft") {
      const token = await acquireMailToken("smtp");
      // Exchange Online takes SMTP AUTH only as the token's own user; the SMTP user (a shared mailbox) is the sender
      auth = { type: "OAuth2", user: token.signedInAs, accessToken: token.accessToken };
    } else if (s.smtpAuthType === "password") {
      auth = { user: s.smtpUser ?? "", pass: readSecret(s, "smtpPassword") ?? "" };
    }
    const transport = nodemailer.createTransport({
      host: s.smtpHost,
      port: s.smtpPort,
      secure: s.smtpSecurity === "tls",
      requireTLS: s.smtpSecurity === "starttls",
      ignoreTLS: s.smtpSecurity === "none",
      auth,
      connectionTimeout: s.connectTimeoutMs,
      greetingTimeout: s.connectTimeoutMs,
      socketTimeout: s.overallTimeoutMs,
      tls: options.tls ? { ca: options.tls.ca } : undefined,
      logger: false,
      debug: false,
    });
    try {
      await transport.sendMail({ from: s.smtpFrom || s.smtpUser || undefined, to: admins, subject, text });
    } finally {
      transport.close();
    }
    return { sent: true, to: admins };
  } catch (error) {
    // Never the token: nodemailer's and our errors carry the server's reply or our own message only.
    const message = error instanceof Error ? error.message : String(error);
    return { sent: false, reason: message.slice(0, 300) };
  }
}
