/**
 * The origins this server trusts (state-changing requests, the auth API, server actions) and the hosts
 * it answers: exactly https://localhost:PORT, https://127.0.0.1:PORT, https://[::1]:PORT, the saved
 * Server Base URL's origin and APP_ORIGINS (comma separated). Pure: the HTTPS server and the app both use it.
 */
export type OriginInputs = { port: number; serverBaseUrl: string | null; appOrigins: string | undefined };

function originOf(value: string): string | null {
  try {
    const url = new URL(value.trim());
    return url.protocol === "https:" || url.protocol === "http:" ? url.origin : null;
  } catch {
    return null;
  }
}

export function trustedOriginList(input: OriginInputs): string[] {
  const origins = new Set([
    `https://localhost:${input.port}`,
    `https://127.0.0.1:${input.port}`,
    `https://[::1]:${input.port}`,
  ]);
  const base = input.serverBaseUrl ? originOf(input.serverBaseUrl) : null;
  if (base) origins.add(base);
  for (const o of (input.appOrigins ?? "").split(",")) {
    const origin = o.trim() ? originOf(o) : null;
    if (origin) origins.add(origin);
  }
  return [...origins];
}

/** The Host header values the trusted origins stand for ("localhost:3443", "mail.contoso.com"). */
export function trustedHosts(origins: readonly string[]): Set<string> {
  return new Set(origins.map((o) => new URL(o).host));
}

/** The port the HTTPS server listens on (PORT, default 3443): the app and the server agree on it. */
export function serverPort(): number {
  return Number(process.env.PORT || 3443);
}
