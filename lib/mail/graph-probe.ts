import "server-only";
import type { MailCheckResult } from "@/lib/mail/mail-check";
import type { TokenStep } from "@/lib/mail/token-check";
import { graphSendsShared, type TransportSettings } from "@/lib/microsoft/client-safe/smtp-transport";

/**
 * The health monitor's probe of a sender on Microsoft Graph: the Graph token and its permission to send,
 * read from the token's claims — nothing is posted (a sendMail call would send a message). Microsoft's
 * access tokens carry delegated permissions in `scp` (space-separated) and application permissions in
 * `roles` ("Microsoft identity platform access tokens", claims reference:
 * https://learn.microsoft.com/en-us/entra/identity-platform/access-token-claims-reference).
 * What the claims cannot show (a lost Send As on a shared mailbox) shows in Test Email Configuration.
 */

function claimsOf(accessToken: string): Record<string, unknown> | null {
  const payload = accessToken.split(".")[1];
  if (!payload) return null;
  try {
    return JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** The permission sending needs, and whether the token's claims hold it. */
export function graphSendPermission(
  s: TransportSettings,
  accessToken: string,
  appOnly: boolean,
): { needed: string; kind: "application" | "delegated"; granted: boolean; readable: boolean } {
  const claims = claimsOf(accessToken);
  if (appOnly) {
    const roles = Array.isArray(claims?.roles) ? claims.roles.filter((r): r is string => typeof r === "string") : [];
    return {
      needed: "Mail.Send",
      kind: "application",
      granted: roles.includes("Mail.Send"),
      readable: claims !== null,
    };
  }
  const needed = graphSendsShared(s) ? "Mail.Send.Shared" : "Mail.Send";
  const scp = typeof claims?.scp === "string" ? claims.scp.split(" ") : [];
  // Mail.Send.Shared includes sending as the signed-in user; Mail.Send alone does not send as another mailbox.
  const granted = scp.includes(needed) || (needed === "Mail.Send" && scp.includes("Mail.Send.Shared"));
  return { needed, kind: "delegated", granted, readable: claims !== null };
}

export async function graphProbe(input: {
  settings: TransportSettings & { smtpUser?: string | null };
  token: Promise<TokenStep>;
}): Promise<MailCheckResult | null> {
  const started = performance.now();
  const step = await input.token;
  if (!step.credentials) return null;
  const p = graphSendPermission(input.settings, step.credentials.accessToken, Boolean(step.credentials.app));
  const ms = Math.round(performance.now() - started);
  const facts = {
    transport: "Microsoft Graph sendMail (probe: nothing posted)",
    mailbox: input.settings.smtpUser ?? "",
  };
  const phases = [{ name: "token wait" as const, ms, ok: p.granted }];
  if (p.granted)
    return {
      ok: true,
      ms,
      phases,
      summary: `The Microsoft Graph token holds the ${p.kind} permission ${p.needed}: sending is allowed (nothing was sent).`,
      serverResponse: null,
      hint: null,
      facts,
    };
  return {
    ok: false,
    ms,
    phases,
    summary: p.readable
      ? `The Microsoft Graph token does not hold the ${p.kind} permission ${p.needed}: Graph would refuse to send (ErrorAccessDenied).`
      : "The Microsoft Graph token could not be read: Graph's answer to a message is unknown.",
    serverResponse: null,
    hint:
      p.kind === "application"
        ? "Azure portal → App registrations → your app → API permissions → Add a permission → Microsoft Graph → Application permissions → Mail.Send → Grant admin consent."
        : `Azure portal → App registrations → your app → API permissions → Microsoft Graph → Delegated permissions → ${p.needed}; then Re-Authorize the sender on Email Settings.`,
    ...(p.kind === "delegated" ? { reauthorize: "smtp" as const } : {}),
    facts,
  };
}
