"use server";
import { revalidatePath } from "next/cache";
import { adminAction } from "@/lib/auth/guard";
import type { ActionResult } from "@/lib/auth/client-safe/action-result";
import { confirmationNeeded, confirmedRecently } from "@/lib/auth/password-confirmation";
import { recordAudit } from "@/lib/audit/audit-log";
import {
  credentialIdSchema,
  relayCredentialSchema,
  relayEnabledSchema,
} from "@/lib/relay/client-safe/credential-schema";
import { createCredential, revokeCredential, rotateCredential } from "@/lib/relay/credential-repository";
import { setRelayEnabled } from "@/lib/relay/relay-repository";
import { RELAY_POLL_MS } from "@/lib/relay/client-safe/limits";

/** The Relay page's changes: each audited; creating, rotating and revoking credentials ask for the password again. */

export const setRelayEnabledAction = adminAction("setRelayEnabled", relayEnabledSchema, async ({ enabled }, admin) => {
  const changed = await setRelayEnabled(enabled, admin.email);
  if (changed) await recordAudit(admin, { action: enabled ? "relay.enabled" : "relay.disabled", target: "smtp" });
  revalidatePath("/settings/relay");
  const seconds = Math.round(RELAY_POLL_MS / 1000);
  return {
    ok: true,
    message: enabled
      ? `The SMTP relay is enabled: every instance starts listening within ${seconds} seconds.`
      : `The SMTP relay is disabled: every instance stops listening within ${seconds} seconds (sessions in flight finish).`,
  };
});

type ShownSecret = { name: string; secret: string };

/** The secret is in the answer once; only its HMAC is stored. */
export const createRelayCredentialAction = adminAction(
  "createRelayCredential",
  relayCredentialSchema,
  async (values, admin): Promise<ActionResult<ShownSecret>> => {
    if (!(await confirmedRecently(admin))) return confirmationNeeded();
    const { credential, secret } = await createCredential(values, admin.email);
    await recordAudit(admin, {
      action: "relay.credential_created",
      target: credential.name,
      details: {
        allowedFrom: credential.allowedFrom,
        allowedCidrs: credential.allowedCidrs,
        ratePerMinute: credential.ratePerMinute,
      },
    });
    revalidatePath("/settings/relay");
    return {
      ok: true,
      message: `Created ${credential.name}. Copy its password now: it is shown only once.`,
      data: { name: credential.name, secret },
    };
  },
);

export const rotateRelayCredentialAction = adminAction(
  "rotateRelayCredential",
  credentialIdSchema,
  async ({ id }, admin): Promise<ActionResult<ShownSecret>> => {
    if (!(await confirmedRecently(admin))) return confirmationNeeded();
    const rotated = await rotateCredential(id);
    if (!rotated) return { ok: false, error: "That credential does not exist or was revoked." };
    await recordAudit(admin, { action: "relay.credential_rotated", target: rotated.credential.name });
    revalidatePath("/settings/relay");
    return {
      ok: true,
      message: `New password for ${rotated.credential.name}; the old one no longer works. Copy it now: it is shown only once.`,
      data: { name: rotated.credential.name, secret: rotated.secret },
    };
  },
);

export const revokeRelayCredentialAction = adminAction(
  "revokeRelayCredential",
  credentialIdSchema,
  async ({ id }, admin) => {
    if (!(await confirmedRecently(admin))) return confirmationNeeded();
    const revoked = await revokeCredential(id);
    if (!revoked) return { ok: false, error: "That credential does not exist or was revoked already." };
    await recordAudit(admin, { action: "relay.credential_revoked", target: revoked.name });
    revalidatePath("/settings/relay");
    return { ok: true, message: `Revoked ${revoked.name}: it can no longer sign in or send.` };
  },
);
