import Link from "next/link";
import { Banner } from "@/app/components/banner";
import { describeExpiry, expirySeverity, expiryWarnings } from "@/lib/microsoft/credential-expiry";
import { loadMailRolesForPage } from "@/lib/microsoft/mail-roles-loader";

/**
 * On every admin page: a credential in use that expires within 30, 7 or 1 days, or has expired (the app
 * registration's client secret or certificate, a delegated sign-in's refresh token), with the renewal steps.
 */
export async function CredentialExpiryBanner() {
  const now = new Date();
  let warnings: ReturnType<typeof expiryWarnings>;
  try {
    const { settings, status } = await loadMailRolesForPage();
    warnings = expiryWarnings(settings, status, now);
  } catch {
    return null; // the page itself reports database problems
  }
  if (warnings.length === 0) return null;
  const kind = warnings.some((w) => expirySeverity(w.window) === "err") ? "err" : "warn";
  return (
    <div data-testid="credential-expiry-banner">
      <Banner kind={kind}>
        {warnings.map((w) => (
          <div key={`${w.kind}-${w.account ?? ""}`} data-window={String(w.window)}>
            <p className="tight">
              <strong>
                {w.subject} {describeExpiry(w)}.
              </strong>{" "}
              {w.window === "expired" ? "It no longer works" : "It stops working then"} ({w.reason}).{" "}
              <Link
                href={w.kind === "refresh-token" ? "/settings/email#microsoft-connections" : "/settings/email#msCloud"}
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
  );
}
