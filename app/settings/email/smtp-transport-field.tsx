"use client";
import type { UseFormReturn } from "react-hook-form";
import type { EmailSettingsInput } from "@/lib/settings/client-safe/email-schema";
import {
  GRAPH_APPLICATION_PERMISSION,
  RBAC_FOR_APPLICATIONS_URL,
  SMTP_AUTH_DISABLED_URL,
  SMTP_TRANSPORT_LABELS,
  SMTP_TRANSPORTS,
} from "@/lib/microsoft/client-safe/smtp-transport";

/**
 * How the sending mailbox hands mail to Microsoft (Microsoft OAuth only): SMTP AUTH XOAUTH2, or Microsoft
 * Graph sendMail where SMTP AUTH is disabled. What Graph needs differs for Delegated and Application.
 */
export function SmtpTransportField({
  form,
  initial,
}: {
  form: UseFormReturn<EmailSettingsInput>;
  /** The saved value, checked in the server-rendered HTML. */
  initial: string | undefined;
}) {
  const error = form.formState.errors.smtpTransport?.message;
  const graph = form.watch("smtpTransport") === "graph";
  const application = form.watch("smtpConnectionType") === "application";
  const reg = form.register("smtpTransport");
  return (
    <fieldset
      className="field field-wide"
      id="smtpTransport"
      aria-describedby={`smtpTransport-hint${error ? " smtpTransport-error" : ""}`}
    >
      <legend>Transport</legend>
      {SMTP_TRANSPORTS.map((t) => (
        <label key={t} className="check">
          <input type="radio" value={t} defaultChecked={(initial ?? "smtp") === t} {...reg} />{" "}
          {SMTP_TRANSPORT_LABELS[t]}
        </label>
      ))}
      <p className="hint" id="smtpTransport-hint">
        Use Microsoft Graph where SMTP AUTH is disabled for the tenant or mailbox (Microsoft answers{" "}
        <code>535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled</code>,{" "}
        <a href={SMTP_AUTH_DISABLED_URL} target="_blank" rel="noreferrer">
          aka.ms/smtp_auth_disabled
        </a>
        ). Graph sends the message as it is (raw MIME) with <code>sendMail</code>, up to about 3 MB (Graph&apos;s 4 MB
        request limit); its answer means &ldquo;accepted by Microsoft&rdquo;, not &ldquo;delivered&rdquo;.
      </p>
      {graph && !application ? (
        <p className="hint" data-testid="graph-delegated-note">
          Delegated: the authorization needs Microsoft Graph&apos;s <code>Mail.Send</code> (
          <code>Mail.Send.Shared</code> when a delegate signs in for a shared mailbox) — add it under API permissions →
          Microsoft Graph → Delegated permissions, save, then <strong>Re-Authorize</strong> the SMTP sender.
        </p>
      ) : null}
      {graph && application ? (
        <p className="hint" data-testid="graph-application-note">
          Application: the app needs Microsoft Graph&apos;s application permission{" "}
          <code>{GRAPH_APPLICATION_PERMISSION}</code> with admin consent. It can send as <strong>any mailbox</strong> in
          the tenant: limit it to this mailbox with Exchange&apos;s{" "}
          <a href={RBAC_FOR_APPLICATIONS_URL} target="_blank" rel="noreferrer">
            RBAC for Applications
          </a>
          .
        </p>
      ) : null}
      {error ? (
        <p className="error" id="smtpTransport-error" role="alert">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
