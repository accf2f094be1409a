/**
 * The header the HTTPS server (scripts/server.ts) sets on every request to the path and query the
 * browser asked for, replacing anything a client sent: the guard sends a signed-out admin to
 * /sign-in?next=<that page>, also from layouts, which do not know the page's path.
 */
export const REQUEST_PATH_HEADER = "x-mail-connect-path";
