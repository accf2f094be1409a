import { ExpectedError } from "@/lib/errors/expected-error";
import { formatUtc } from "@/lib/format/client-safe/utc";

/** Thrown when a settings row changed since the form was loaded (optimistic concurrency). */
export class StaleSettingsError extends ExpectedError {
  constructor(
    readonly updatedBy: string | null,
    readonly updatedAt: Date,
  ) {
    super(
      `These settings were changed by ${updatedBy ?? "someone else"} at ${formatUtc(updatedAt)} after you opened the page. Reload to see their changes, then save again.`,
    );
    this.name = "StaleSettingsError";
  }
}
