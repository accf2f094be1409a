import "server-only";
import { bump, readCounter } from "@/lib/relay/counters";

/**
 * Wrong passwords at the relay's listeners (SMTP AUTH, IMAP LOGIN): counted per user name and per source
 * address in the database (every instance counts against the same totals) over a quarter of an hour;
 * past the limit the listener refuses before it checks the password, until the window ends.
 */

export const AUTH_FAILURES = { perCredential: 10, perAddress: 20 } as const;

/** Whether sign-ins as `user` or from `address` are refused for now. */
export async function signInThrottled(user: string, address: string | undefined): Promise<boolean> {
  const [byName, byAddress] = await Promise.all([
    readCounter(`auth-fail-user:${user}`, "quarter-hour"),
    readCounter(`auth-fail-ip:${address}`, "quarter-hour"),
  ]);
  return byName >= AUTH_FAILURES.perCredential || byAddress >= AUTH_FAILURES.perAddress;
}

export async function countFailedSignIn(user: string, address: string | undefined): Promise<void> {
  await Promise.all([bump(`auth-fail-user:${user}`, "quarter-hour"), bump(`auth-fail-ip:${address}`, "quarter-hour")]);
}
