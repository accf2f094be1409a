"use server";
import { revalidatePath } from "next/cache";
import { adminAction } from "@/lib/auth/guard";
import { confirmationNeeded, confirmedRecently } from "@/lib/auth/password-confirmation";
import { recordAudit } from "@/lib/audit/audit-log";
import { imapEnabledSchema, imapMailboxesSchema } from "@/lib/relay/client-safe/imap-schema";
import { RELAY_POLL_MS } from "@/lib/relay/client-safe/limits";
import { setImapMailboxes } from "@/lib/relay/credential-repository";
import { setImapEnabled } from "@/lib/relay/imap/imap-repository";

/** The Relay page's IMAP gateway changes, each audited; a credential's mailbox scope asks for the password again. */

export const setImapEnabledAction = adminAction("setImapEnabled", imapEnabledSchema, async ({ enabled }, admin) => {
  const changed = await setImapEnabled(enabled, admin.email);
  if (changed)
    await recordAudit(admin, { action: enabled ? "relay.imap_enabled" : "relay.imap_disabled", target: "imap" });
  revalidatePath("/settings/relay");
  const seconds = Math.round(RELAY_POLL_MS / 1000);
  return {
    ok: true,
    message: enabled
      ? `The IMAP gateway is enabled: every instance starts listening within ${seconds} seconds.`
      : `The IMAP gateway is disabled: every instance stops listening within ${seconds} seconds (open sessions get 30 seconds to finish).`,
  };
});

export const setImapMailboxesAction = adminAction(
  "setImapMailboxes",
  imapMailboxesSchema,
  async ({ id, mailboxes }, admin) => {
    if (!(await confirmedRecently(admin))) return confirmationNeeded();
    const updated = await setImapMailboxes(id, mailboxes);
    if (!updated) return { ok: false, error: "That credential does not exist or was revoked." };
    await recordAudit(admin, {
      action: "relay.credential_imap_scope",
      target: updated.name,
      details: { mailboxes: updated.imapMailboxes },
    });
    revalidatePath("/settings/relay");
    return {
      ok: true,
      message: mailboxes.length
        ? `${updated.name} may open ${mailboxes.join(", ")} through the IMAP gateway.`
        : `${updated.name} may open no mailbox through the IMAP gateway.`,
    };
  },
);
