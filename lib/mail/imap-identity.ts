import "server-only";
import type { RoleSettings } from "@/lib/microsoft/client-safe/mail-roles";
import { acquireMailToken } from "@/lib/microsoft/mail-token";

/**
 * Who IMAP AUTHENTICATE XOAUTH2 signs in as, and with which token: one place for the IMAP check
 * (lib/mail/check-runner.ts) and the IMAP gateway (lib/relay/imap), so that every tenant shape works
 * for both. Over IMAP the XOAUTH2 `user=` names the mailbox to open — the user's own, a shared mailbox
 * the signed-in delegate has Full Access to, or (app-only) the mailbox the app is granted — and the
 * token is the IMAP role's: delegated, the delegate's, or the app's.
 */

/** The mailbox the IMAP role opens (the Approval Reply Address): the XOAUTH2 `user=`. */
export function imapAuthUser(s: Pick<RoleSettings, "imapUser">): string {
  return s.imapUser ?? "";
}

export type ImapLogin = { user: string; accessToken: string; account: string; app: boolean; fromCache: boolean };

/** The IMAP role's token (the same lease and refresh as every other caller) and the `user=` for `mailbox`. */
export async function acquireImapLogin(
  mailbox: string,
  options: { giveUpAt?: { at: number; ms: number } } = {},
): Promise<ImapLogin> {
  const token = await acquireMailToken("imap", options);
  return {
    user: mailbox,
    accessToken: token.accessToken,
    account: token.app ? token.mailbox : token.signedInAs,
    app: Boolean(token.app),
    fromCache: token.fromCache,
  };
}
