import Link from "next/link";
import type { ReactNode } from "react";
import { OriginCheckedItem } from "@/app/components/browser-origin";
import { CopyButton } from "@/app/components/copy-button";
import { ROLE_LABELS } from "@/lib/microsoft/client-safe/mail-roles";
import { loadMailRolesForPage } from "@/lib/microsoft/mail-roles-loader";
import { describeSecret } from "@/lib/crypto/secret-box";
import { lastFinishedRunForPage } from "@/lib/mail/test-run-repository";
import { readSecret, storedCertificate, type StoredEmailSettings } from "@/lib/settings/email-repository";
import { usesCertificate } from "@/lib/settings/client-safe/requirements";
import { formatUtc } from "@/lib/format/client-safe/utc";
import { appRegistrationsUrl } from "@/lib/microsoft/client-safe/clouds";
import { appCredentialExpiry, describeExpiry } from "@/lib/microsoft/credential-expiry";

/** The delegated permissions the FlexDeploy page lists (Microsoft Graph → Delegated permissions). */
export const DELEGATED_PERMISSIONS = ["IMAP.AccessAsUser.All", "offline_access", "SMTP.Send", "User.Read"] as const;

type Item = { key: string; done: boolean; title: ReactNode; detail: ReactNode };

function Copyable({ value, label }: { value: string; label: string }) {
  return (
    <span className="copy-row">
      <code className="code" data-copy-source={value}>
        {value}
      </code>
      <CopyButton text={value} label={label} />
    </span>
  );
}

/**
 * Email Settings → "Azure app registration": the exact values to paste into Azure, where the
 * values to copy back are, and a checklist that ticks itself from what this server can verify
 * (saved settings, stored connections, the last test run). Server-rendered: only the copy buttons
 * run in the browser.
 */
export async function RegistrationAssistant() {
  const [{ settings, status }, lastRun] = await Promise.all([loadMailRolesForPage(), lastFinishedRunForPage()]);
  const base = status.serverBaseUrl;
  const redirectUri = status.redirectUri;
  const https = Boolean(base?.startsWith("https://"));
  const roles = status.roles.filter((r) => r.usesMicrosoft);
  const secret = describeSecret(settings.msClientSecretEnc ? readSecretSafely(settings) : null);
  const certificateMode = usesCertificate(settings);
  const certificate = certificateMode ? storedCertificate(settings) : null;
  const appExpiry = appCredentialExpiry(settings, new Date());
  const confirmedAt = status.redirectConfirmedAt;

  const items: Item[] = [
    {
      key: "https",
      done: https,
      title: "Server Base URL uses HTTPS",
      detail: https ? (
        base
      ) : (
        <>
          Microsoft requires the app to be reached over https. Set it in{" "}
          <Link href="/settings/general">General Settings</Link>.
        </>
      ),
    },
    {
      key: "redirect",
      done: Boolean(redirectUri && confirmedAt),
      title: "Redirect URI registered in Azure",
      detail: !redirectUri ? (
        <>Appears once the Server Base URL is set.</>
      ) : confirmedAt ? (
        <>Microsoft accepted it at the authorization of {formatUtc(confirmedAt, "minute")}.</>
      ) : (
        <>Register it as shown below; Microsoft confirms it at the first Authorize (otherwise AADSTS50011).</>
      ),
    },
    {
      key: "client-id",
      done: Boolean(settings.msClientId),
      title: "Client Id saved",
      detail: settings.msClientId ?? "Application (client) ID, from the app's Overview page.",
    },
    {
      key: "tenant-id",
      done: Boolean(settings.msTenantId),
      title: "Tenant Id saved",
      detail: settings.msTenantId ?? "Directory (tenant) ID, from the app's Overview page.",
    },
    certificateMode
      ? {
          key: "certificate",
          done: Boolean(certificate && certificate.state !== "expired"),
          title: "Certificate saved and uploaded in Azure",
          detail: certificate ? (
            <>
              Thumbprint {certificate.thumbprintSha256}, expires {certificate.notAfter.slice(0, 10)}
              {certificate.state === "expired" ? " (expired: generate or upload a new one)" : ""}. Download the .cer and
              upload it under Certificates &amp; secrets → Certificates.
            </>
          ) : (
            "Generate or upload a certificate below, then upload the .cer under Certificates & secrets → Certificates."
          ),
        }
      : {
          key: "secret",
          done: secret.set && appExpiry?.window !== "expired",
          title: "Client Secret saved",
          detail: secret.set
            ? `Set${secret.endsWith ? ` (ends …${secret.endsWith})` : ""}. ${
                appExpiry
                  ? `It ${describeExpiry(appExpiry)}${appExpiry.window ? ": renew it (the steps are in the banner above)" : ""}.`
                  : "No expiry date entered: enter the Expires date Azure shows next to the secret (Secret expires), to be warned 30, 7 and 1 days before it ends."
              }`
            : "The secret's Value, from Certificates & secrets.",
        },
    ...(roles.length
      ? roles.map(({ role, account, connection: row, healthy, mailbox, connectionType, appConnection }): Item => {
          const label = ROLE_LABELS[role];
          if (connectionType === "application")
            return {
              key: `authorized-${role}`,
              done: healthy,
              title: (
                <>
                  {label.title} app-only access{mailbox ? <> ({mailbox})</> : null}
                </>
              ),
              detail: !mailbox ? (
                `${label.mailboxField} is missing.`
              ) : !appConnection ? (
                <>
                  Application connection: nothing to authorize. Follow the <a href="#app-only-setup">app-only setup</a>,
                  then run Test Email Configuration.
                </>
              ) : healthy ? (
                `App token with ${appConnection.tokenRoles.join(", ") || "no roles"}: healthy.`
              ) : (
                <>
                  {appConnection.lastError} <a href="#app-only-setup">App-only setup</a>.
                </>
              ),
            };
          return {
            key: `authorized-${role}`,
            done: healthy,
            title: (
              <>
                {label.title} authorized{mailbox ? <> ({mailbox})</> : null}
              </>
            ),
            detail: !account ? (
              `${label.mailboxField} is missing.`
            ) : !row ? (
              <>
                Not connected: <a href="#microsoft-connections">Authorize</a> as {account}.
              </>
            ) : healthy ? (
              `Connected as ${row.username} since ${formatUtc(row.authorizedAt, "minute")}: healthy.`
            ) : (
              <>
                Needs re-authorization{row.lastError ? `: ${row.lastError}` : "."}{" "}
                <a href="#microsoft-connections">Re-Authorize</a>.
              </>
            ),
          };
        })
      : [
          {
            key: "authorized",
            done: false,
            title: "Mailbox authorized",
            detail: "Choose Microsoft OAuth as the SMTP auth type (or for the Approval Reply Address) and save.",
          },
        ]),
    {
      key: "test",
      done: Boolean(lastRun?.ok && new Date(lastRun.createdAt) >= settings.updatedAt),
      title: "Last Test Email Configuration passed",
      detail: !lastRun
        ? "No test yet: click Test Email Configuration next to Save."
        : lastRun.ok && new Date(lastRun.createdAt) < settings.updatedAt
          ? `Passed at ${formatUtc(lastRun.createdAt, "minute")}, but the settings changed since: test again.`
          : lastRun.ok
            ? `Passed at ${formatUtc(lastRun.createdAt, "minute")}.`
            : `Failed at ${formatUtc(lastRun.createdAt, "minute")}: see the cards in Test Email Configuration.`,
    },
  ];
  const done = items.filter((i) => i.done).length;
  const allDone = done === items.length;

  return (
    <section className="panel" aria-labelledby="assistant-title" data-testid="registration-assistant">
      <h2 id="assistant-title">Setup checklist</h2>
      <p className="hint flush-top" data-testid="checklist-progress">
        {allDone ? "Everything is set up and verified." : `${done} of ${items.length} done.`} Ticks itself from what
        this server can check.
      </p>
      <ol className="checklist">
        {items.map((i) =>
          i.key === "https" ? (
            <OriginCheckedItem
              key={i.key}
              testId={`checklist-${i.key}`}
              done={i.done}
              serverBaseOrigin={base ? new URL(base).origin : null}
              title={i.title}
              detail={i.detail}
            />
          ) : (
            <li key={i.key} data-testid={`checklist-${i.key}`} data-done={i.done ? "true" : "false"}>
              <span className={i.done ? "tick tick-done" : "tick"} aria-hidden="true">
                {i.done ? "✓" : ""}
              </span>
              <span>
                <strong>{i.title}</strong>
                <span className="visually-hidden">{i.done ? " (done)" : " (to do)"}</span>
                <br />
                <span className="hint">{i.detail}</span>
              </span>
            </li>
          ),
        )}
      </ol>

      <details open={!allDone} className="assistant-values">
        <summary>Azure app registration: the values to paste, and where to copy ours from</summary>
        <ol className="steps">
          <li>
            <a href={appRegistrationsUrl(settings.msCloud)} target="_blank" rel="noopener noreferrer">
              Azure portal
            </a>{" "}
            → <strong>Microsoft Entra ID</strong> → <strong>App registrations</strong> →{" "}
            <strong>New registration</strong>. Any name; supported account types:{" "}
            <em>this organizational directory only</em>.
          </li>
          <li>
            Redirect URI, platform <strong>Web</strong>:{" "}
            {redirectUri ? (
              <span data-testid="assistant-redirect-uri">
                <Copyable value={redirectUri} label="Copy the redirect URI" />
              </span>
            ) : (
              <>
                set the Server Base URL in <Link href="/settings/general">General Settings</Link> first.
              </>
            )}{" "}
            It must match character for character.
          </li>
          <li>
            <strong>API permissions</strong> → Add a permission → <strong>Microsoft Graph</strong> →{" "}
            <strong>Delegated permissions</strong>:
            <ul className="permissions" data-testid="assistant-permissions">
              {DELEGATED_PERMISSIONS.map((p) => (
                <li key={p}>
                  <Copyable value={p} label={`Copy ${p}`} />
                </li>
              ))}
            </ul>
            Then <strong>Grant admin consent</strong> for your tenant if users may not consent themselves.
          </li>
          <li>
            From the app&apos;s <strong>Overview</strong>: <strong>Application (client) ID</strong> →{" "}
            <a href="#msClientId">Client Id</a>, <strong>Directory (tenant) ID</strong> →{" "}
            <a href="#msTenantId">Tenant Id</a>.
          </li>
          <li>
            <strong>Certificates &amp; secrets</strong> → New client secret → copy the <strong>Value</strong> column at
            once (it is shown only once) → <a href="#msClientSecret">Client Secret</a>. Not the Secret ID (Microsoft
            answers AADSTS7000215). Note its expiry date: renew it here before then. Or, with the{" "}
            <strong>Certificate</strong> credential, generate or upload one here and upload its <strong>.cer</strong>{" "}
            under <strong>Certificates &amp; secrets</strong> → <strong>Certificates</strong> (Microsoft answers
            AADSTS700027 until it is there).
          </li>
        </ol>
      </details>
    </section>
  );
}

function readSecretSafely(settings: StoredEmailSettings): string | null {
  try {
    return readSecret(settings, "msClientSecret");
  } catch {
    return null; // undecryptable: shown as not set; the form says the same
  }
}
