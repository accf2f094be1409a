import Link from "next/link";
import { Banner } from "@/app/components/banner";
import { basicAuthNotices, type BasicAuthNotice } from "@/lib/mail/client-safe/basic-auth-deadline";
import {
  type CredentialExpiry,
  describeExpiry,
  expirySeverity,
  expiryWarnings,
} from "@/lib/microsoft/credential-expiry";
import { loadMailRolesForPage } from "@/lib/microsoft/mail-roles-loader";

/**
 * On every admin page: a credential in use that expires within 30, 7 or 1 days, or has expired (the app
 * registration's client secret or certificate, a delegated sign-in's refresh token), with the renewal
 * steps; and a mailbox that signs in to Exchange Online with a password (Microsoft's Basic-auth deadline).
 */
export async function CredentialExpiryBanner() {
  const now = new Date();
  let warnings: CredentialExpiry[];
  let basicAuth: BasicAuthNotice[];
  try {
    const { settings, status } = await loadMailRolesForPage();
    warnings = expiryWarnings(settings, status, now);
    basicAuth = basicAuthNotices(settings, now);
  } catch {
    return null; // the page itself reports database problems
  }
  return (
    <>
      {warnings.length ? (
        <div data-testid="credential-expiry-banner">
          <Banner kind={warnings.some((w) => expirySeverity(w.window) === "err") ? "err" : "warn"}>
            {warnings.map((w) => (
              <div key={`${w.kind}-${w.account ?? ""}`} data-window={String(w.window)}>
                <p className="tight">
                  <strong>
                    {w.subject} {describeExpiry(w)}.
                  </strong>{" "}
                  {w.window === "expired" ? "It no longer works" : "It stops working then"} ({w.reason}).{" "}
                  <Link
                    href={
                      w.kind === "refresh-token" ? "/settings/email#microsoft-connections" : "/settings/email#msCloud"
                    }
                  >
                    Email Settings
                  </Link>
                </p>
                <ol className="tight expiry-steps">
                  {w.steps.map((step) => (
                    <li key={step}>{step}</li>
                  ))}
                </ol>
              </div>
            ))}
          </Banner>
        </div>
      ) : null}
      {basicAuth.length ? (
        <div data-testid="basic-auth-banner">
          <Banner kind="warn">
            {basicAuth.map((n) => (
              <p key={n.role} className="tight">
                <strong>{n.headline}</strong>{" "}
                <Link href={`/settings/email#${n.role}AuthType`}>Switch to Microsoft OAuth on Email Settings</Link>
                {n.role === "smtp" ? (
                  <>
                    ; devices that can only send with a password: the <Link href="/settings/relay">Relay</Link>.
                  </>
                ) : (
                  "."
                )}
              </p>
            ))}
          </Banner>
        </div>
      ) : null}
    </>
  );
}
