"use client";
import { ErrorPanel } from "@/app/components/error-panel";

/** Any page that failed (for example the settings shell when the database is down). */
export default function RootError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main id="main" className="narrow-page">
      <ErrorPanel reset={reset} />
    </main>
  );
}
