"use client";
import { ErrorPanel } from "@/app/components/error-panel";

/** A settings page that failed, inside the settings shell (navigation stays usable). */
export default function SettingsError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <ErrorPanel reset={reset} />;
}
