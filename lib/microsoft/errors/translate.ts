/**
 * Microsoft identity platform errors in plain language, with the fix. Imports nothing server-only.
 * Input is what Microsoft sent (authorize redirect `error` / `error_description`, or the token
 * endpoint's answer as MSAL reports it); output never contains tokens or secrets.
 */
export type MicrosoftErrorInput = {
  /** OAuth error (`invalid_grant`, `access_denied`, …). */
  error?: string | null;
  /** AADSTS number, when known separately from the description. */
  code?: string | number | null;
  /** Microsoft's text (`AADSTS65001: …\r\nTrace ID: …`). */
  description?: string | null;
  suberror?: string | null;
  correlationId?: string | null;
};

export type ErrorContext = {
  /** The exact redirect URI this server sends (for AADSTS50011). */
  redirectUri?: string | null;
  /** Admin consent link for the configured tenant and client (for AADSTS65001). */
  adminConsentUrl?: string | null;
  tenant?: string | null;
  clientId?: string | null;
};

export type TranslatedError = {
  /** `AADSTS65001`, or the OAuth error when there is no number. */
  code: string | null;
  /** One sentence: what went wrong. */
  summary: string;
  /** What to do about it. */
  fix: string;
  /** Microsoft's own first line (shown for unknown codes, and under "details" for known ones). */
  microsoftText: string | null;
  correlationId: string | null;
  /** A stored connection with this error can only be repaired by authorizing again. */
  needsReauth: boolean;
  /** Where the fix points to, if anywhere: the admin consent link. */
  link?: { href: string; label: string };
  /** AADSTS70043: the Conditional Access sign-in frequency Microsoft named (seconds), when it did. */
  signInFrequencySeconds?: number;
};

const REAUTH = "Click Re-Authorize and sign in as the mailbox user again.";

/** "24 hours", "30 days", "90 minutes": a policy interval in seconds, in words. */
export function describeInterval(seconds: number): string {
  const units: Array<[number, string]> = [
    [86400, "day"],
    [3600, "hour"],
    [60, "minute"],
  ];
  for (const [size, name] of units) {
    if (seconds >= size && seconds % size === 0) {
      const n = seconds / size;
      return `${n} ${name}${n === 1 ? "" : "s"}`;
    }
  }
  return `${seconds} second${seconds === 1 ? "" : "s"}`;
}

/** AADSTS70043's "maximum allowed lifetime for this request is 86400": the policy's sign-in frequency. */
function signInFrequencyOf(description: string | null | undefined): number | null {
  const m = /maximum allowed lifetime for this request is (\d+)/.exec(description ?? "");
  return m ? Number(m[1]) : null;
}

/** AADSTS500112's two reply addresses: the one sent with the code, the one of the sign-in. */
function replyAddressesOf(description: string | null | undefined): { given: string; original: string } | null {
  const m = /reply address '([^']*)' does not match the reply address '([^']*)'/.exec(description ?? "");
  return m ? { given: m[1]!, original: m[2]! } : null;
}

export function aadstsCode(input: MicrosoftErrorInput): string | null {
  if (input.code !== undefined && input.code !== null && /^\d+$/.test(String(input.code))) return String(input.code);
  const m = /AADSTS(\d+)/.exec(input.description ?? "");
  return m ? m[1]! : null;
}

function firstLine(text: string | null | undefined): string | null {
  if (!text) return null;
  const line = text.split(/\r?\n/)[0]!.trim();
  return line ? line.slice(0, 600) : null;
}

function correlationOf(input: MicrosoftErrorInput): string | null {
  if (input.correlationId) return input.correlationId;
  const m = /Correlation ID:\s*([0-9a-f-]{8,})/i.exec(input.description ?? "");
  return m ? m[1]! : null;
}

export function translateMicrosoftError(input: MicrosoftErrorInput, ctx: ErrorContext = {}): TranslatedError {
  const num = aadstsCode(input);
  const base = {
    code: num ? `AADSTS${num}` : (input.error ?? null),
    microsoftText: firstLine(input.description),
    correlationId: correlationOf(input),
  };
  const t = (summary: string, fix: string, needsReauth = false, link?: TranslatedError["link"]): TranslatedError => ({
    ...base,
    summary,
    fix,
    needsReauth,
    ...(link ? { link } : {}),
  });
  const consentLink = ctx.adminConsentUrl ? { href: ctx.adminConsentUrl, label: "Grant admin consent" } : undefined;

  switch (num) {
    case "50011":
      return t(
        "The redirect URI is not registered for this app in Azure (AADSTS50011).",
        `In Azure: App registrations → your app → Authentication → Web, add exactly ${ctx.redirectUri ?? "<Server Base URL>/flexdeploy/rest/v2/oauth"} (https, same host, same case), and make sure General Settings → Server Base URL matches it.`,
      );
    case "65001":
      return t(
        "The app has not been granted consent for these permissions (AADSTS65001).",
        "A Microsoft 365 administrator must grant consent: use the admin consent link, or in Azure: App registrations → your app → API permissions → Grant admin consent. Then Authorize again.",
        true,
        consentLink,
      );
    case "65004":
      return t(
        "The permissions request was declined on Microsoft's consent page (AADSTS65004).",
        "Authorize again and click Accept, or ask an administrator to grant admin consent.",
        false,
        consentLink,
      );
    case "70043": {
      const seconds = signInFrequencyOf(input.description);
      const every = seconds ? describeInterval(seconds) : null;
      const translated = t(
        `The stored Microsoft sign-in expired: a Conditional Access sign-in frequency policy requires signing in again${every ? ` every ${every}` : ""} (AADSTS70043).`,
        `${REAUTH} It will happen again ${every ? `${every} after each sign-in` : "at the policy's interval"} while the policy applies to this account and app; to avoid it, ask your Microsoft 365 administrator to exclude this app (or this mailbox account) from the sign-in frequency of that Conditional Access policy (Entra ID → Conditional Access → the policy → Session → Sign-in frequency).`,
        true,
      );
      return seconds ? { ...translated, signInFrequencySeconds: seconds } : translated;
    }
    case "500112": {
      const uris = replyAddressesOf(input.description);
      return t(
        uris
          ? `The redirect URI sent to redeem the sign-in code (${uris.given}) is not the one the sign-in started with (${uris.original}) (AADSTS500112).`
          : "The redirect URI sent to redeem the sign-in code is not the one the sign-in started with (AADSTS500112).",
        `Something changed the address between the sign-in and the callback, usually a reverse proxy that rewrites the scheme or host, or a Server Base URL that is not the address the browser uses. Set General Settings → Server Base URL to the public https address${ctx.redirectUri ? ` (this server sends ${ctx.redirectUri})` : ""}, make the proxy pass requests through unchanged, then Authorize again.`,
      );
    }
    case "7000112":
      return t(
        `The app registration${ctx.clientId ? ` (Client Id ${ctx.clientId})` : ""} is disabled in the tenant (AADSTS7000112).`,
        'A Microsoft 365 administrator must enable it: in Azure, Enterprise applications → this app → Properties → set "Enabled for users to sign-in?" to Yes, or in PowerShell: `Update-MgServicePrincipal -ServicePrincipalId <object id> -AccountEnabled:$true`. If Microsoft disabled the app (its disabledByMicrosoftStatus is set), register a new app and enter its Client Id. Then Authorize again.',
      );
    case "700016":
      return t(
        `The app (Client Id ${ctx.clientId ?? "as configured"}) was not found in the tenant ${ctx.tenant ?? ""} (AADSTS700016).`.replace(
          "  ",
          " ",
        ),
        "Check the Client Id (Application (client) ID) and the Tenant Id (Directory (tenant) ID) on the app's Overview page in Azure, and the Cloud: the app must be registered in this tenant of this cloud (an app of the Global cloud does not exist in US Government or China, and the other way round).",
      );
    case "7000215":
      return t(
        "Microsoft rejected the client secret (AADSTS7000215).",
        "Paste the secret's Value, not its Secret ID (Azure: Certificates & secrets; the value is shown only once when the secret is created), save, then Authorize again.",
      );
    case "7000222":
      return t(
        "The client secret has expired (AADSTS7000222).",
        "Create a new client secret in Azure (Certificates & secrets), paste its Value here, save, then Authorize again.",
      );
    case "700027":
      return t(
        "Microsoft did not accept the certificate that signed the request (AADSTS700027): it is not registered for the app, or the key does not match it.",
        "Download the .cer from Email Settings and upload it in Azure under Certificates & secrets → Certificates (the thumbprints must match), then Authorize or test again.",
      );
    case "700024":
      return t(
        "Microsoft refused the signed client assertion as outside its valid time range (AADSTS700024).",
        "Check this server's clock (it must be within a few minutes of the real time, e.g. with NTP), then try again.",
      );
    case "700023":
      return t(
        "Microsoft refused the signed client assertion's audience (AADSTS700023).",
        "Check the Cloud, Authority and Tenant Id in Email Settings: the assertion names the token endpoint of that tenant.",
      );
    case "700082":
      return t(
        "The stored Microsoft sign-in expired after a long period without use (AADSTS700082).",
        `${REAUTH} The health monitor refreshes idle sign-ins while the server runs, which prevents this.`,
        true,
      );
    case "50173":
      return t(
        "The stored Microsoft sign-in was revoked, for example after a password change or a sign-out of all sessions (AADSTS50173).",
        REAUTH,
        true,
      );
    case "90002":
      return t(
        `The tenant ${ctx.tenant ?? ""} was not found (AADSTS90002).`.replace("  ", " "),
        "Check the Tenant Id (Azure: Microsoft Entra ID → Overview → Tenant ID) and the cloud (Global, US Government, China).",
      );
    case "50020":
      return t(
        `The account that signed in is not a member of the tenant${ctx.tenant ? ` ${ctx.tenant}` : ""} (AADSTS50020).`,
        "Sign in with an account of the configured tenant (use a private window if the browser picks another account), or correct the Tenant Id; an account of another organization must first be invited as a guest by an administrator.",
      );
    case "53003":
      return t(
        "Sign-in was blocked by a Conditional Access policy (AADSTS53003).",
        `Ask your Microsoft 365 administrator to allow this app (or this server's location or device) in Conditional Access: the sign-in logs (Entra ID → Sign-in logs${base.correlationId ? `, correlation id ${base.correlationId}` : ""}) name the policy that blocked it. Then Authorize again.`,
        true,
      );
    case "50076":
    case "50079":
      return t(
        num === "50076"
          ? "Microsoft requires multi-factor authentication for this account, and the stored sign-in did not include it (AADSTS50076)."
          : "Microsoft requires this account to register for multi-factor authentication (AADSTS50079).",
        `An interactive sign-in is needed: click Re-Authorize and sign in as the mailbox user again, completing the ${num === "50079" ? "multi-factor registration" : "second factor"} Microsoft asks for.`,
        true,
      );
    case "50057":
      return t(
        "The Microsoft account is disabled (AADSTS50057).",
        "Ask your Microsoft 365 administrator to enable the account, then Authorize again.",
        true,
      );
    case "54005":
    case "70008":
      return t(`The sign-in code from Microsoft was already used or expired (AADSTS${num}).`, "Authorize again.");
    case "501481":
      return t("The sign-in could not be verified (PKCE mismatch, AADSTS501481).", "Authorize again from this page.");
    case "70000":
    case "9002313":
      return t(`Microsoft refused the stored sign-in (AADSTS${num}).`, REAUTH, true);
  }

  if (input.error === "access_denied") {
    return t(
      "Sign-in was cancelled, or the permissions were declined.",
      "Authorize again and complete the sign-in, or ask an administrator to grant admin consent.",
      false,
      consentLink,
    );
  }
  if (
    input.error === "invalid_grant" ||
    input.error === "interaction_required" ||
    input.error === "consent_required" ||
    input.error === "login_required"
  ) {
    return t(`Microsoft needs the mailbox user to sign in again${num ? ` (AADSTS${num})` : ""}.`, REAUTH, true);
  }
  if (input.error === "temporarily_unavailable" || input.error === "server_error") {
    return t("Microsoft's sign-in service reported a temporary problem.", "Try again in a few minutes.");
  }
  return t(
    `Microsoft returned an error${base.code ? ` (${base.code})` : ""}.`,
    base.microsoftText
      ? `Microsoft said: ${base.microsoftText}${base.correlationId ? ` (correlation id ${base.correlationId})` : ""}`
      : "Try again; if it persists, check the app registration in Azure.",
  );
}

/** One line for logs, audit details and `lastError`: summary + fix. */
export function describeTranslated(e: TranslatedError): string {
  return `${e.summary} ${e.fix}`;
}
