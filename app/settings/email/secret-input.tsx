"use client";
import type { UseFormRegisterReturn } from "react-hook-form";
import { Field } from "@/app/components/field";
import type { SecretStatus } from "@/app/settings/email/types";

/** A write-only secret: shows whether one is stored ("set, ends …"), takes a replacement, or clears it. */
export function SecretInput({
  id,
  label,
  status,
  error,
  hint,
  input,
  clear,
}: {
  id: string;
  label: string;
  status: SecretStatus;
  error?: string;
  hint?: string;
  input: UseFormRegisterReturn;
  clear: UseFormRegisterReturn;
}) {
  const statusText = status.set
    ? `Set${status.endsWith ? ` (ends …${status.endsWith})` : ""}. Leave blank to keep it.`
    : "Not set.";
  return (
    <div>
      <Field id={id} label={label} error={error} hint={hint ? `${statusText} ${hint}` : statusText}>
        {(a) => <input type="password" autoComplete="new-password" spellCheck={false} {...a} {...input} />}
      </Field>
      {status.set ? (
        <label className="check check-below">
          <input type="checkbox" {...clear} /> Remove the stored {label.toLowerCase()}
        </label>
      ) : null}
    </div>
  );
}
