import type { UseFormRegisterReturn } from "react-hook-form";
import { Field } from "@/app/components/field";
import { PASSWORD_RULE } from "@/lib/auth/client-safe/password-rule";

/** A password being chosen (setup, an invitation, an initial password, your own): one field, one rule shown. */
export function NewPasswordField({
  id,
  label,
  error,
  registration,
}: {
  id: string;
  label: string;
  error?: string;
  registration: UseFormRegisterReturn;
}) {
  return (
    <Field id={id} label={label} error={error} hint={PASSWORD_RULE}>
      {(a) => <input type="password" autoComplete="new-password" {...a} {...registration} />}
    </Field>
  );
}
