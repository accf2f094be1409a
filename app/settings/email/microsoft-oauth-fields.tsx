"use client";
import type { UseFormRegisterReturn, UseFormReturn } from "react-hook-form";
import { Field } from "@/app/components/field";
import { CredentialFields } from "@/app/settings/email/certificate-fields";
import type { SecretStatuses } from "@/app/settings/email/types";
import { CLOUD_IDS, CLOUD_LABELS, type CloudId } from "@/lib/microsoft/client-safe/clouds";
import type { CertificateDetails } from "@/lib/microsoft/client-safe/certificate-view";
import type { EmailSettingsInput } from "@/lib/settings/client-safe/email-schema";

/** The Microsoft OAuth part of Email Settings: the cloud, the app registration's ids and its credential. */
export function MicrosoftOAuthFields({
  form,
  field,
  usesMicrosoft,
  onCloudChosen,
  secrets,
  certificate,
}: {
  form: UseFormReturn<EmailSettingsInput>;
  /** register() plus the saved value (the form's own helper). */
  field: (name: keyof EmailSettingsInput & string) => UseFormRegisterReturn & { defaultValue?: string | number };
  usesMicrosoft: boolean;
  /** A cloud was chosen: the form fills that cloud's hosts where they are empty or another cloud's. */
  onCloudChosen: (cloudId: CloudId) => void;
  secrets: SecretStatuses;
  certificate: CertificateDetails | null;
}) {
  const errors = form.formState.errors;
  const cloud = form.watch("msCloud");
  const cloudReg = field("msCloud");
  return (
    <fieldset className="panel" aria-describedby="ms-hint">
      <legend>Microsoft OAuth</legend>
      <p className="hint hint-lead" id="ms-hint">
        {usesMicrosoft
          ? "From your Azure app registration (Azure portal → App registrations → your app)."
          : "Used when SMTP or IMAP auth type is Microsoft OAuth."}
      </p>
      <div className="grid">
        <Field id="msCloud" label="Cloud" error={errors.msCloud?.message} wide>
          {(a) => (
            <select
              {...a}
              {...cloudReg}
              onChange={(e) => {
                void cloudReg.onChange(e);
                onCloudChosen(e.target.value as CloudId);
              }}
            >
              {CLOUD_IDS.map((c) => (
                <option key={c} value={c}>
                  {CLOUD_LABELS[c]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="msClientId" label="Client Id" error={errors.msClientId?.message} hint="Application (client) ID" wide>
          {(a) => <input type="text" spellCheck={false} autoComplete="off" {...a} {...field("msClientId")} />}
        </Field>
        <Field
          id="msTenantId"
          label="Tenant Id"
          error={errors.msTenantId?.message}
          hint="Directory (tenant) ID, or a verified domain"
        >
          {(a) => <input type="text" spellCheck={false} autoComplete="off" {...a} {...field("msTenantId")} />}
        </Field>
        <CredentialFields form={form} secrets={secrets} certificate={certificate} />
        {cloud === "custom" ? (
          <>
            <Field
              id="customAuthority"
              label="Authority"
              error={errors.customAuthority?.message}
              hint="Origin of the identity platform, e.g. https://login.microsoftonline.com or the local sandbox"
            >
              {(a) => <input type="url" spellCheck={false} autoComplete="off" {...a} {...field("customAuthority")} />}
            </Field>
            <Field
              id="customOutlookResource"
              label="Outlook resource"
              error={errors.customOutlookResource?.message}
              hint="Resource of the mail scopes, e.g. https://outlook.office.com"
            >
              {(a) => (
                <input type="url" spellCheck={false} autoComplete="off" {...a} {...field("customOutlookResource")} />
              )}
            </Field>
            {form.watch("smtpTransport") === "graph" ? (
              <Field
                id="customGraphHost"
                label="Graph host"
                error={errors.customGraphHost?.message}
                hint="Where Microsoft Graph requests go (the sender uses Graph), e.g. https://graph.microsoft.com or the local sandbox"
              >
                {(a) => <input type="url" spellCheck={false} autoComplete="off" {...a} {...field("customGraphHost")} />}
              </Field>
            ) : null}
          </>
        ) : null}
      </div>
    </fieldset>
  );
}
