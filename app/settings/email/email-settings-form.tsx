"use client";
import { useEffect, useRef } from "react";
import { useRouter } from "next/navigation";
import {
  emailSettingsSchema,
  IMAP_SECURITY,
  missingSecrets,
  SMTP_AUTH_LABELS,
  SMTP_AUTH_TYPES,
  SMTP_SECURITY,
  type EmailSettingsInput,
} from "@/lib/settings/client-safe/email-schema";
import { usesMicrosoft as settingsUseMicrosoft } from "@/lib/microsoft/client-safe/mail-roles";
import { ConnectionTypeField } from "@/app/settings/email/connection-type-field";
import { SmtpTransportField } from "@/app/settings/email/smtp-transport-field";
import { CLOUDS, KNOWN_MICROSOFT_HOSTS, type CloudId } from "@/lib/microsoft/client-safe/clouds";
import { Field } from "@/app/components/field";
import { ErrorSummary } from "@/app/components/error-summary";
import { useActionForm } from "@/app/components/use-action-form";
import { useConfirmedAction } from "@/app/components/password-prompt";
import { saveEmailSettingsAction } from "@/app/settings/email/actions";
import { useUnsavedEmailSettings } from "@/app/settings/email/email-settings-island";
import { SecretInput } from "@/app/settings/email/secret-input";
import { MicrosoftOAuthFields } from "@/app/settings/email/microsoft-oauth-fields";
import type { CertificateDetails } from "@/lib/microsoft/client-safe/certificate-view";
import { TestEmailButton } from "@/app/settings/email/test-email-button";
import type { SecretStatuses } from "@/app/settings/email/types";
import { LastSaved, type LastSave, SaveStatus } from "@/app/components/save-status";
import { BasicAuthNotices } from "@/app/settings/email/basic-auth-notice";

const SECURITY_LABELS: Record<string, string> = {
  starttls: "STARTTLS",
  tls: "TLS (implicit)",
  none: "None (unencrypted)",
};

export function EmailSettingsForm({
  initial,
  secrets,
  certificate,
  lastSaved,
  next,
}: {
  initial: EmailSettingsInput;
  secrets: SecretStatuses;
  /** The stored certificate credential's public details. */
  certificate: CertificateDetails | null;
  lastSaved: LastSave;
  /** The step after this one ("Next: Authorize …"), from the role read model. */
  next: string;
}) {
  const router = useRouter();
  // Whether the last submission was saved: read right after it (formState is the last render's until React renders again).
  const saved = useRef(false);
  // Changes of where secrets go ask for the admin's password again (the prompt, then the save again).
  const save = useConfirmedAction(saveEmailSettingsAction);
  const { form, banner, summary, onSubmit } = useActionForm(emailSettingsSchema, save.run, {
    defaultValues: initial,
    mode: "onTouched",
    // Secrets are write-only: the browser knows which are stored; the action checks again.
    check: (values) =>
      missingSecrets(emailSettingsSchema.parse(values), {
        smtpPassword: secrets.smtpPassword.set,
        imapPassword: secrets.imapPassword.set,
        msClientSecret: secrets.msClientSecret.set,
        msCertificate: secrets.msCertificate.set,
      }),
    onSuccess: (values, form) => {
      saved.current = true;
      // Clear what was typed into the secrets; the refreshed page shows "Set (ends …)".
      form.reset({
        ...values,
        smtpPassword: "",
        smtpPasswordClear: false,
        imapPassword: "",
        imapPasswordClear: false,
        msClientSecret: "",
        msClientSecretClear: false,
        msCertificate: "",
        msCertificateClear: false,
        version: Number(values.version) + 1,
      });
      router.refresh();
    },
  });
  const { register, watch, setValue, getValues, formState } = form;
  const { setUnsaved } = useUnsavedEmailSettings();
  useEffect(() => setUnsaved(formState.isDirty), [formState.isDirty, setUnsaved]);
  /** register() plus the saved value in the server-rendered HTML, so fields are filled before hydration. */
  const field = (name: keyof EmailSettingsInput & string) => {
    const value = initial[name];
    return {
      ...register(name),
      defaultValue: typeof value === "boolean" ? undefined : (value as string | number | undefined),
    };
  };
  const errors = formState.errors;

  const smtpAuthType = watch("smtpAuthType");
  const imapAuthType = watch("imapAuthType");
  const imapUser = watch("imapUser");
  // "Sign in as" belongs to Delegated; it stays visible while it holds a value, so its error can be seen.
  const smtpApplication = watch("smtpConnectionType") === "application" && !watch("smtpSignInAs");
  const imapApplication = watch("imapConnectionType") === "application" && !watch("imapSignInAs");
  const usesMicrosoft = settingsUseMicrosoft({ smtpAuthType, imapAuthType, imapUser });

  /** Microsoft 365 defaults for the cloud, filled only where the field is empty or holds another cloud's default. */
  function fillMicrosoftDefaults(cloudId: CloudId) {
    if (cloudId === "custom") return;
    const c = CLOUDS[cloudId];
    const replaceable = (host: unknown) => !host || KNOWN_MICROSOFT_HOSTS.has(String(host).toLowerCase());
    if (replaceable(getValues("smtpHost"))) {
      setValue("smtpHost", c.smtp.host, { shouldDirty: true });
      setValue("smtpPort", String(c.smtp.port), { shouldDirty: true });
      setValue("smtpSecurity", c.smtp.security, { shouldDirty: true });
    }
    if (replaceable(getValues("imapHost"))) {
      setValue("imapHost", c.imap.host, { shouldDirty: true });
      setValue("imapPort", String(c.imap.port), { shouldDirty: true });
      setValue("imapSecurity", c.imap.security, { shouldDirty: true });
    }
  }

  const smtpAuth = field("smtpAuthType");

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Email Settings">
      <ErrorSummary errors={summary.errors} attempt={summary.attempt} />
      {save.prompt}
      <input type="hidden" {...field("version")} />

      <fieldset className="panel">
        <legend>Outgoing mail (SMTP)</legend>
        <div className="grid">
          <Field id="smtpAuthType" label="SMTP auth type" error={errors.smtpAuthType?.message}>
            {(a) => (
              <select
                {...a}
                {...smtpAuth}
                onChange={(e) => {
                  void smtpAuth.onChange(e);
                  if (e.target.value === "microsoft") fillMicrosoftDefaults(getValues("msCloud") as CloudId);
                }}
              >
                {SMTP_AUTH_TYPES.map((t) => (
                  <option key={t} value={t}>
                    {SMTP_AUTH_LABELS[t]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field
            id="smtpHost"
            label="SMTP host"
            error={errors.smtpHost?.message}
            hint="Microsoft 365: smtp.office365.com (smtp.outlook.com works too)"
          >
            {(a) => <input type="text" spellCheck={false} autoComplete="off" {...a} {...field("smtpHost")} />}
          </Field>
          <Field id="smtpPort" label="SMTP port" error={errors.smtpPort?.message}>
            {(a) => <input type="text" inputMode="numeric" autoComplete="off" {...a} {...field("smtpPort")} />}
          </Field>
          <Field id="smtpSecurity" label="SMTP security" error={errors.smtpSecurity?.message}>
            {(a) => (
              <select {...a} {...field("smtpSecurity")}>
                {SMTP_SECURITY.map((s) => (
                  <option key={s} value={s}>
                    {SECURITY_LABELS[s]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field
            id="smtpUser"
            label="SMTP user"
            error={errors.smtpUser?.message}
            hint={
              smtpAuthType === "microsoft"
                ? "The mailbox that sends (MAIL FROM); you authorize as this user unless “Sign in as” is set."
                : undefined
            }
          >
            {(a) => <input type="email" spellCheck={false} autoComplete="off" {...a} {...field("smtpUser")} />}
          </Field>
          <Field id="smtpFrom" label="From address" error={errors.smtpFrom?.message} hint="Defaults to the SMTP user.">
            {(a) => <input type="email" spellCheck={false} autoComplete="off" {...a} {...field("smtpFrom")} />}
          </Field>
          {smtpAuthType === "password" ? (
            <SecretInput
              id="smtpPassword"
              label="SMTP password"
              status={secrets.smtpPassword}
              error={errors.smtpPassword?.message}
              input={register("smtpPassword")}
              clear={register("smtpPasswordClear")}
            />
          ) : null}
          <BasicAuthNotices mailRole="smtp" form={form} secrets={secrets} />
          {smtpAuthType === "microsoft" ? (
            <ConnectionTypeField
              id="smtpConnectionType"
              error={errors.smtpConnectionType?.message}
              input={field("smtpConnectionType")}
            />
          ) : null}
          {smtpAuthType === "microsoft" ? <SmtpTransportField form={form} initial={initial.smtpTransport} /> : null}
          {smtpAuthType === "microsoft" && !smtpApplication ? (
            <Field
              id="smtpSignInAs"
              label="Sign in as (optional)"
              error={errors.smtpSignInAs?.message}
              hint="For a shared mailbox: the delegate account that authorizes (it needs Send As on the SMTP user). SMTP authenticates as this account; the SMTP user stays the From address. Leave blank to sign in as the SMTP user."
            >
              {(a) => <input type="email" spellCheck={false} autoComplete="off" {...a} {...field("smtpSignInAs")} />}
            </Field>
          ) : null}
        </div>
      </fieldset>

      <fieldset className="panel">
        <legend>Incoming approval replies (IMAP)</legend>
        <div className="grid">
          <Field
            id="imapUser"
            label="Approval Reply Address"
            error={errors.imapUser?.message}
            hint="The mailbox approvers reply to; read over IMAP."
          >
            {(a) => <input type="email" spellCheck={false} autoComplete="off" {...a} {...field("imapUser")} />}
          </Field>
          <Field id="imapAuthType" label="IMAP auth type" error={errors.imapAuthType?.message}>
            {(a) => (
              <select {...a} {...field("imapAuthType")}>
                <option value="microsoft">Microsoft OAuth</option>
                <option value="password">Password</option>
              </select>
            )}
          </Field>
          <Field
            id="imapHost"
            label="IMAP host"
            error={errors.imapHost?.message}
            hint="Microsoft 365: outlook.office365.com"
          >
            {(a) => <input type="text" spellCheck={false} autoComplete="off" {...a} {...field("imapHost")} />}
          </Field>
          <Field id="imapPort" label="IMAP port" error={errors.imapPort?.message}>
            {(a) => <input type="text" inputMode="numeric" autoComplete="off" {...a} {...field("imapPort")} />}
          </Field>
          <Field id="imapSecurity" label="IMAP security" error={errors.imapSecurity?.message}>
            {(a) => (
              <select {...a} {...field("imapSecurity")}>
                {IMAP_SECURITY.map((s) => (
                  <option key={s} value={s}>
                    {SECURITY_LABELS[s]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <BasicAuthNotices mailRole="imap" form={form} secrets={secrets} />
          {imapAuthType === "password" ? (
            <SecretInput
              id="imapPassword"
              label="IMAP password"
              status={secrets.imapPassword}
              error={errors.imapPassword?.message}
              input={register("imapPassword")}
              clear={register("imapPasswordClear")}
            />
          ) : (
            <ConnectionTypeField
              id="imapConnectionType"
              error={errors.imapConnectionType?.message}
              input={field("imapConnectionType")}
            />
          )}
          {imapAuthType === "microsoft" && !imapApplication ? (
            <Field
              id="imapSignInAs"
              label="Sign in as (optional)"
              error={errors.imapSignInAs?.message}
              hint="For a shared mailbox: the delegate account that authorizes (it needs Full Access on the Approval Reply Address, which stays the mailbox IMAP opens). Leave blank to sign in as the Approval Reply Address."
            >
              {(a) => <input type="email" spellCheck={false} autoComplete="off" {...a} {...field("imapSignInAs")} />}
            </Field>
          ) : null}
        </div>
      </fieldset>

      <MicrosoftOAuthFields
        form={form}
        field={field}
        usesMicrosoft={usesMicrosoft}
        onCloudChosen={(cloudId) => {
          if (usesMicrosoft) fillMicrosoftDefaults(cloudId);
        }}
        secrets={secrets}
        certificate={certificate}
      />

      <details className="panel">
        <summary className="panel-summary">Test timeouts</summary>
        <div className="grid spaced">
          <Field
            id="connectTimeoutSeconds"
            label="Connect timeout (seconds)"
            error={errors.connectTimeoutSeconds?.message}
          >
            {(a) => <input type="number" min={1} max={120} {...a} {...field("connectTimeoutSeconds")} />}
          </Field>
          <Field
            id="overallTimeoutSeconds"
            label="Overall timeout per check (seconds)"
            error={errors.overallTimeoutSeconds?.message}
          >
            {(a) => <input type="number" min={1} max={300} {...a} {...field("overallTimeoutSeconds")} />}
          </Field>
        </div>
      </details>

      <div className="action-bar" data-testid="email-action-bar">
        <div className="actions">
          <button type="submit" className="btn btn-primary" disabled={formState.isSubmitting}>
            {formState.isSubmitting ? "Saving…" : "Save"}
          </button>
          <TestEmailButton
            dirty={formState.isDirty}
            save={async () => {
              saved.current = false;
              await onSubmit();
              return saved.current;
            }}
          />
          {formState.isDirty ? <span className="hint">Unsaved changes</span> : null}
          <LastSaved lastSaved={lastSaved} />
          <SaveStatus banner={banner} />
          {!formState.isDirty ? (
            <p className="hint next-step save-status" data-testid="next-step">
              {next}
            </p>
          ) : null}
        </div>
      </div>
    </form>
  );
}
