/** What every server action returns: plain data the browser can render. */
export type ActionResult<T = unknown> =
  | { ok: true; message?: string; data?: T }
  | {
      ok: false;
      error: string;
      fieldErrors?: Record<string, string>;
      /** The change needs the admin's password again first (the client asks, confirms, and retries). */
      needsConfirmation?: true;
    };
