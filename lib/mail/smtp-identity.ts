import "server-only";
import type { RoleSettings } from "@/lib/microsoft/client-safe/mail-roles";
import { acquireMailToken } from "@/lib/microsoft/mail-token";

/**
 * Who SMTP AUTH XOAUTH2 signs in as, and with which token: one place for Test Email Configuration
 * (lib/mail/check-runner.ts) and the SMTP relay (lib/relay/upstream.ts), so that what a tenant shape
 * needs (a shared mailbox's delegate, an app-only connection) applies to both.
 */

/** The XOAUTH2 `user=` of SMTP AUTH for the saved settings. */
export function smtpOAuthUser(s: RoleSettings): string {
  return s.smtpUser ?? "";
}

export type SmtpLogin = { user: string; accessToken: string; account: string; fromCache: boolean };

/** The SMTP role's token (through the same lease and refresh as every other caller) and its `user=`. */
export async function acquireSmtpLogin(
  s: RoleSettings,
  options: { giveUpAt?: { at: number; ms: number } } = {},
): Promise<SmtpLogin> {
  const token = await acquireMailToken("smtp", options);
  return {
    user: smtpOAuthUser(s),
    accessToken: token.accessToken,
    account: token.signedInAs,
    fromCache: token.fromCache,
  };
}
