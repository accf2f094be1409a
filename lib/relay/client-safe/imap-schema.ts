import "@/lib/http/client-safe/zod-without-eval"; // first: before any schema is built
import { z } from "zod";
import { plainText } from "@/lib/settings/client-safe/fields";

/** The Relay page's IMAP gateway forms: one schema for the form, the action and the repository. */

export const IMAP_GATEWAY_DEFAULTS = { port: 1993, maxMailboxes: 50 } as const;

export const imapEnabledSchema = z.strictObject({ enabled: z.boolean({ error: "enabled must be true or false" }) });

/** Mailboxes typed one per line (or separated by commas or spaces); empty: the credential opens none. */
export const imapMailboxesSchema = z.strictObject({
  id: plainText().min(1).max(64),
  mailboxes: z
    .string({ error: "Enter one mailbox per line" })
    .max(20_000, "Mailboxes: too long")
    .transform((v, ctx) => {
      const items = [...new Set(v.split(/[\s,;]+/).filter(Boolean))].map((a) => a.toLowerCase());
      if (items.length > IMAP_GATEWAY_DEFAULTS.maxMailboxes) {
        ctx.addIssue({ code: "custom", message: `Mailboxes: at most ${IMAP_GATEWAY_DEFAULTS.maxMailboxes}` });
        return z.NEVER;
      }
      for (const item of items) {
        if (item.length > 254 || !z.email().safeParse(item).success) {
          ctx.addIssue({ code: "custom", message: `Mailboxes: "${item.slice(0, 60)}" is not an email address` });
          return z.NEVER;
        }
      }
      return items;
    }),
});

export type ImapMailboxesValues = z.output<typeof imapMailboxesSchema>;
