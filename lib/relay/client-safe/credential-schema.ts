import "@/lib/http/client-safe/zod-without-eval"; // first: before any schema is built
import { z } from "zod";
import { plainText, wholeNumber } from "@/lib/settings/client-safe/fields";
import { EXCHANGE_LIMITS } from "@/lib/relay/client-safe/limits";

/**
 * The Relay page's credential form: one schema for the form, the action and the repository.
 * The name is also the SMTP user name the sender types, so it is a short plain token.
 */

export const CREDENTIAL_NAME = /^[a-z0-9][a-z0-9._-]{1,62}$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const IPV6 = /^[0-9a-f:.]{2,45}$/i;

/** "10.0.0.0/8", "192.0.2.7" (a single address), "2001:db8::/32": syntax only (the server checks with net.BlockList). */
export function isCidr(value: string): boolean {
  const [address, bits, extra] = value.split("/");
  if (extra !== undefined || !address) return false;
  const v4 = IPV4.test(address);
  if (!v4 && !(IPV6.test(address) && address.includes(":"))) return false;
  if (bits === undefined) return true;
  if (!/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (v4 ? 32 : 128);
}

/** A list typed one per line (or separated by commas or spaces): trimmed, blank entries dropped. */
const listOf = (label: string, max: number, check: (item: string) => string | null) =>
  plainText()
    .or(z.literal(""))
    .pipe(z.string())
    .transform((v, ctx) => {
      const items = [...new Set(v.split(/[\s,;]+/).filter(Boolean))];
      if (items.length > max) {
        ctx.addIssue({ code: "custom", message: `${label}: at most ${max} entries` });
        return z.NEVER;
      }
      for (const item of items) {
        const problem = check(item);
        if (problem) {
          ctx.addIssue({ code: "custom", message: problem });
          return z.NEVER;
        }
      }
      return items;
    });

// plainText refuses control characters, but a list is typed on several lines: allow line breaks here.
const multiline = (inner: ReturnType<typeof listOf>) =>
  z
    .string({ error: "Enter one entry per line" })
    .transform((v) => v.replace(/\r?\n/g, " "))
    .pipe(inner);

export const relayCredentialSchema = z.strictObject({
  name: plainText("Name is required")
    .toLowerCase()
    .refine(
      (v) => CREDENTIAL_NAME.test(v),
      "Name: 2 to 63 characters, lower-case letters, digits, dot, dash or underscore (it is the SMTP user name)",
    ),
  allowedFrom: multiline(
    listOf("Allowed From addresses", 50, (a) =>
      a.length <= 254 && z.email().safeParse(a).success
        ? null
        : `Allowed From addresses: "${a.slice(0, 60)}" is not an email address`,
    ),
  )
    .refine((list) => list.length > 0, "Allowed From addresses: enter at least one address")
    .transform((list) => [...new Set(list.map((a) => a.toLowerCase()))]),
  allowedCidrs: multiline(
    listOf("Allowed source addresses", 50, (c) =>
      isCidr(c)
        ? null
        : `Allowed source addresses: "${c.slice(0, 60)}" is not an IP address or CIDR such as 10.0.0.0/8`,
    ),
  ),
  ratePerMinute: wholeNumber("Messages per minute", 1, EXCHANGE_LIMITS.messagesPerMinute),
});

export type RelayCredentialInput = z.input<typeof relayCredentialSchema>;
export type RelayCredentialValues = z.output<typeof relayCredentialSchema>;

export const credentialIdSchema = z.strictObject({ id: plainText().min(1).max(64) });
export const relayEnabledSchema = z.strictObject({ enabled: z.boolean({ error: "enabled must be true or false" }) });
