"use client";
import type { UseFormRegisterReturn } from "react-hook-form";
import { Field } from "@/app/components/field";
import { CONNECTION_TYPE_LABELS, CONNECTION_TYPES } from "@/lib/microsoft/client-safe/mail-roles";

/** The connection type of a Microsoft mailbox role: Delegated (Authorize) or Application (app-only). */
export function ConnectionTypeField({
  id,
  error,
  input,
}: {
  id: "smtpConnectionType" | "imapConnectionType";
  error?: string;
  input: UseFormRegisterReturn & { defaultValue?: string | number };
}) {
  return (
    <Field
      id={id}
      label="Connection type"
      error={error}
      wide
      hint="Application: the app's own token (client credentials), no user signs in and no refresh token expires; Exchange must know the app (PowerShell below)."
    >
      {(a) => (
        <select {...a} {...input}>
          {CONNECTION_TYPES.map((t) => (
            <option key={t} value={t}>
              {CONNECTION_TYPE_LABELS[t]}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
