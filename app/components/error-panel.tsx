"use client";
import { useEffect, useState } from "react";

/**
 * What an error boundary shows. Production builds hide server error messages from the browser, so
 * the panel asks the public health endpoint whether the database is the cause and says so.
 */
export function ErrorPanel({ reset }: { reset: () => void }) {
  const [database, setDatabase] = useState<"checking" | "down" | "up">("checking");
  useEffect(() => {
    let cancelled = false;
    fetch("/api/health", { cache: "no-store" })
      .then((r) => r.json() as Promise<{ database?: string }>)
      .then((h) => !cancelled && setDatabase(h.database === "ok" ? "up" : "down"))
      .catch(() => !cancelled && setDatabase("down"));
    return () => {
      cancelled = true;
    };
  }, []);
  return (
    <div className="banner banner-err" role="alert" data-testid="error-page">
      {database === "down" ? (
        <>
          <h1>Database unavailable</h1>
          <p>
            Mail Connect cannot reach its database, so this page cannot be shown. Nothing was changed. Try again when
            the database is back.
          </p>
        </>
      ) : (
        <>
          <h1>This page could not be shown</h1>
          <p>
            {database === "checking"
              ? "Checking whether the database is reachable…"
              : "Something went wrong on the server. Nothing was changed. The server log has the details."}
          </p>
        </>
      )}
      <button type="button" onClick={reset}>
        Try again
      </button>
    </div>
  );
}
