"use client";
import { useEffect, useRef } from "react";
import { useRouter } from "next/navigation";
import { generalSettingsSchema, type GeneralSettingsInput } from "@/lib/settings/client-safe/general-schema";
import { buildRedirectUri } from "@/lib/settings/client-safe/redirect-uri";
import { saveGeneralSettingsAction } from "@/app/settings/general/actions";
import { Field } from "@/app/components/field";
import { CopyButton } from "@/app/components/copy-button";
import { OriginMismatchWarning } from "@/app/components/browser-origin";
import { ErrorSummary } from "@/app/components/error-summary";
import { useActionForm } from "@/app/components/use-action-form";
import { appRegistrationsUrl } from "@/lib/microsoft/client-safe/clouds";
import { LastSaved, type LastSave, SaveStatus } from "@/app/components/save-status";

export function GeneralSettingsForm({ initial, lastSaved }: { initial: GeneralSettingsInput; lastSaved: LastSave }) {
  const router = useRouter();
  const { form, banner, summary, onSubmit } = useActionForm(generalSettingsSchema, saveGeneralSettingsAction, {
    defaultValues: initial,
    mode: "onTouched",
    onSuccess: (values, form, stored) => {
      // The action's answer holds what was stored; the page's own refresh may arrive before or after it.
      form.reset(stored ?? { serverBaseUrl: values.serverBaseUrl, version: Number(values.version) + 1 });
      router.refresh();
    },
  });
  // After a save the page is refreshed with the stored (normalised) value: show it, unless the admin typed since.
  const { reset } = form;
  const shown = useRef(`${initial.version}:${initial.serverBaseUrl}`);
  useEffect(() => {
    const key = `${initial.version}:${initial.serverBaseUrl}`;
    if (key === shown.current) return;
    shown.current = key;
    if (!form.formState.isDirty) reset({ serverBaseUrl: initial.serverBaseUrl, version: initial.version });
  }, [initial.serverBaseUrl, initial.version, reset, form]);

  const typed = form.watch("serverBaseUrl");
  const parsed = generalSettingsSchema.shape.serverBaseUrl.safeParse(typed);
  const redirectUri = parsed.success ? buildRedirectUri(parsed.data) : null;

  const errors = form.formState.errors;
  return (
    <form onSubmit={onSubmit} noValidate aria-label="General Settings">
      <ErrorSummary errors={summary.errors} attempt={summary.attempt} />
      <section className="panel">
        <h2>Server</h2>
        <Field
          id="serverBaseUrl"
          label="Server Base URL"
          error={errors.serverBaseUrl?.message}
          hint="The https:// address administrators use to reach this server, e.g. https://mail-connect.contoso.com. Microsoft requires HTTPS (http:// only for localhost)."
        >
          {(a) => (
            <input
              type="url"
              inputMode="url"
              autoComplete="url"
              spellCheck={false}
              defaultValue={initial.serverBaseUrl}
              {...a}
              {...form.register("serverBaseUrl")}
            />
          )}
        </Field>
        <input type="hidden" {...form.register("version")} />

        <div className="spaced">
          <p className="label-strong" id="redirect-uri-label">
            Redirect URI to register in Azure
          </p>
          {redirectUri ? (
            <div className="copy-row">
              <code className="code" data-testid="redirect-uri" data-copy-source={redirectUri}>
                {redirectUri}
              </code>
              <CopyButton text={redirectUri} label="Copy redirect URI" />
            </div>
          ) : (
            <p className="hint">Enter a valid Server Base URL to see the redirect URI.</p>
          )}
          <p className="hint">
            <a href={appRegistrationsUrl("global")} target="_blank" rel="noopener noreferrer">
              Azure portal
            </a>{" "}
            → App registrations → your app → Authentication → Web → Redirect URIs. It must match exactly, character for
            character.
          </p>
        </div>
        <OriginMismatchWarning serverBaseOrigin={parsed.success ? new URL(parsed.data).origin : null} />
      </section>
      <div className="actions">
        <button type="submit" className="btn btn-primary" disabled={form.formState.isSubmitting}>
          {form.formState.isSubmitting ? "Saving…" : "Save"}
        </button>
        <LastSaved lastSaved={lastSaved} />
        <SaveStatus banner={banner} />
      </div>
    </form>
  );
}
