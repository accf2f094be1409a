import { Banner } from "@/app/components/banner";
import type { BannerMessage } from "@/app/components/use-action-button";
import { formatUtc } from "@/lib/format/client-safe/utc";

export type LastSave = { by: string | null; at: string } | null;

/** Who saved the settings last, and when (next to Save on every settings form). */
export function LastSaved({ lastSaved }: { lastSaved: LastSave }) {
  if (!lastSaved) return null;
  return (
    <span className="hint">
      Last saved {lastSaved.by ? `by ${lastSaved.by} ` : ""}at {formatUtc(lastSaved.at)}
    </span>
  );
}

/** The result of the last save, announced where the Save button is. */
export function SaveStatus({ banner }: { banner: BannerMessage | null }) {
  return (
    <div className="save-status" aria-live="polite" data-testid="save-status">
      {banner ? <Banner kind={banner.kind}>{banner.text}</Banner> : null}
    </div>
  );
}
