import type { FieldValues, Path, UseFormSetError } from "react-hook-form";
import type { ActionResult } from "@/lib/auth/client-safe/action-result";

/** Shows a server action's answer: field errors next to their fields, the message in a banner. */
export function applyServerResult<T extends FieldValues>(
  res: ActionResult<unknown>,
  setError: UseFormSetError<T>,
  setBanner: (b: { kind: "ok" | "err"; text: string }) => void,
): void {
  if (res.ok) {
    setBanner({ kind: "ok", text: res.message ?? "Saved." });
    return;
  }
  for (const [name, message] of Object.entries(res.fieldErrors ?? {})) {
    if (name !== "_form") setError(name as Path<T>, { type: "server", message });
  }
  setBanner({ kind: "err", text: res.error });
}
