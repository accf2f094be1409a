import "server-only";
import type { RoleSettings } from "@/lib/microsoft/client-safe/mail-roles";
import { acquireMailToken, type MailToken } from "@/lib/microsoft/mail-token";

/**
 * Who SMTP AUTH XOAUTH2 signs in as, and with which token: one place for the SMTP relay
 * (lib/relay/upstream.ts) and the rule Test Email Configuration follows (lib/mail/token-check.ts), so that
 * what a tenant shape needs (a shared mailbox's delegate, an app-only connection) applies to both.
 */

/** The mailbox that sends (MAIL FROM, the From: address, Exchange's per-mailbox limits): the SMTP user. */
export function smtpSendingMailbox(s: RoleSettings): string {
  return s.smtpUser ?? "";
}

/**
 * The XOAUTH2 `user=` of SMTP AUTH: Exchange accepts only the token's own user there (a shared mailbox's
 * delegate authenticates as itself and sends from the shared address, Send As checked at submission); an
 * app-only token names the mailbox.
 */
export function smtpAuthUser(token: Pick<MailToken, "mailbox" | "signedInAs" | "app">): string {
  return token.app ? token.mailbox : token.signedInAs;
}

export type SmtpLogin = { user: string; accessToken: string; account: string; fromCache: boolean };

/** The SMTP role's token (through the same lease and refresh as every other caller) and its `user=`. */
export async function acquireSmtpLogin(options: { giveUpAt?: { at: number; ms: number } } = {}): Promise<SmtpLogin> {
  const token = await acquireMailToken("smtp", options);
  return {
    user: smtpAuthUser(token),
    accessToken: token.accessToken,
    account: token.signedInAs,
    fromCache: token.fromCache,
  };
}
