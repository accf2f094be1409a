"use client";
import { useState } from "react";
import {
  type DefaultValues,
  type FieldValues,
  type Mode,
  type Path,
  type UseFormReturn,
  useForm,
} from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import type { z } from "zod";
import type { ActionResult } from "@/lib/auth/client-safe/action-result";
import { type BannerMessage, bannerOf, SERVER_UNREACHABLE } from "@/app/components/use-action-button";
import type { SummaryError } from "@/app/components/error-summary";
import { useLeaveWarning } from "@/app/components/use-leave-warning";

type FieldErrors = Partial<Record<string, string>>;

/**
 * A form whose schema is its server action's schema: react-hook-form checks it in the browser, the
 * action parses the same input again (raw: the action receives what the admin typed), and the answer
 * comes back as field errors next to their fields and one banner. `check` refuses a submission
 * before it is sent (field errors only the browser knows, e.g. a secret that must be typed).
 * `summary` lists every field error of the last attempt (for ErrorSummary at the top); leaving the
 * page with unsaved changes asks first.
 */
export function useActionForm<T extends FieldValues, R>(
  schema: z.ZodType<unknown, T>,
  action: (input: T) => Promise<ActionResult<R>>,
  options: {
    defaultValues: DefaultValues<T>;
    mode?: Mode;
    check?: (values: T) => FieldErrors;
    /** `data` is what the action returned (e.g. the stored, normalised values to show). */
    onSuccess?: (values: T, form: UseFormReturn<T>, data: R | undefined) => void;
  },
) {
  const form = useForm<T>({
    resolver: zodResolver(schema, undefined, { raw: true }),
    defaultValues: options.defaultValues,
    mode: options.mode,
    // The error summary takes the focus (it links to each field), not the first invalid field.
    shouldFocusError: false,
  });
  const [banner, setBanner] = useState<BannerMessage | null>(null);
  const [summary, setSummary] = useState<{ errors: SummaryError[]; attempt: number }>({ errors: [], attempt: 0 });
  useLeaveWarning(form.formState.isDirty && !form.formState.isSubmitting);

  const summarize = (errors: SummaryError[]) => setSummary((s) => ({ errors, attempt: s.attempt + 1 }));

  const show = (result: ActionResult<R>) => {
    if (!result.ok) {
      const fieldErrors = Object.entries(result.fieldErrors ?? {}).filter(
        (e): e is [string, string] => e[0] !== "_form" && Boolean(e[1]),
      );
      for (const [name, message] of fieldErrors) form.setError(name as Path<T>, { type: "server", message });
      summarize(fieldErrors.map(([field, message]) => ({ field, message })));
    } else summarize([]);
    setBanner(bannerOf(result, "Saved."));
  };

  const onSubmit = form.handleSubmit(
    async (values) => {
      setBanner(null);
      const refused = Object.entries(options.check?.(values) ?? {}).filter((e): e is [string, string] => Boolean(e[1]));
      if (refused.length) {
        show({ ok: false, error: "Some fields need attention.", fieldErrors: Object.fromEntries(refused) });
        return;
      }
      let result: ActionResult<R>;
      try {
        result = await action(values);
      } catch {
        result = { ok: false, error: SERVER_UNREACHABLE };
      }
      show(result);
      if (result.ok) options.onSuccess?.(values, form, result.data);
    },
    (errors) => {
      setBanner({ kind: "err", text: "Some fields need attention." });
      summarize(
        Object.entries(errors).flatMap(([field, e]) =>
          e && typeof e.message === "string" ? [{ field, message: e.message }] : [],
        ),
      );
    },
  );

  return { form, banner, summary, onSubmit };
}
