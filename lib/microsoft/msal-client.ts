import "server-only";
import {
  ConfidentialClientApplication,
  LogLevel,
  type ICachePlugin,
  type INetworkModule,
  type NetworkRequestOptions,
  type NetworkResponse,
} from "@azure/msal-node";
import { resolveCloud } from "@/lib/microsoft/client-safe/clouds";
import { getEmailSettings, readSecret, type StoredEmailSettings } from "@/lib/settings/email-repository";
import { clientRequirements, FIELD_LABELS, missing } from "@/lib/settings/client-safe/requirements";

/**
 * The MSAL ConfidentialClientApplication factory. The client secret is decrypted here, on the
 * server, for the one request that needs it; it never leaves this process.
 */

export type MicrosoftConfig = {
  clientId: string;
  clientSecret: string;
  tenant: string;
  /** Authority origin, e.g. https://login.microsoftonline.com (no tenant, no trailing slash). */
  authorityOrigin: string;
  /** `${authorityOrigin}/${tenant}` */
  authority: string;
  outlookResource: string;
  settings: StoredEmailSettings & { saved: boolean };
};

export type ConfigProblem = { problem: string };

/** Reads saved Email Settings into what MSAL needs, or says what is missing. */
export async function loadMicrosoftConfig(): Promise<MicrosoftConfig | ConfigProblem> {
  const settings = await getEmailSettings();
  return microsoftConfigFrom(settings);
}

export function microsoftConfigFrom(
  settings: StoredEmailSettings & { saved: boolean },
): MicrosoftConfig | ConfigProblem {
  if (!settings.saved) return { problem: "Email Settings have not been saved yet." };
  // The custom cloud's authority and resource are checked below, as URLs.
  const [absent] = missing(clientRequirements(), settings, {
    smtpPassword: true,
    imapPassword: true,
    msClientSecret: Boolean(settings.msClientSecretEnc),
  });
  if (absent) return { problem: `${FIELD_LABELS[absent.field]} is missing in Email Settings.` };
  let clientSecret: string | null;
  try {
    clientSecret = readSecret(settings, "msClientSecret");
  } catch {
    return {
      problem:
        "The stored Client Secret cannot be decrypted (the encryption key changed?). Enter the secret again and save.",
    };
  }
  if (!clientSecret) return { problem: "Client Secret is missing in Email Settings." };
  const cloud = resolveCloud(settings);
  let origin: string;
  try {
    const url = new URL(cloud.authority);
    if (url.protocol !== "https:") return { problem: "The authority must use https://." };
    origin = url.origin;
  } catch {
    return { problem: "The custom cloud's authority is missing or not a URL." };
  }
  if (!cloud.outlookResource) return { problem: "The custom cloud's Outlook resource is missing." };
  return {
    clientId: settings.msClientId!,
    clientSecret,
    tenant: settings.msTenantId!,
    authorityOrigin: origin,
    authority: `${origin}/${settings.msTenantId}`,
    outlookResource: cloud.outlookResource,
    settings,
  };
}

export const REQUEST_TIMEOUT_MS = 20_000;

// MSAL fetches the authority's discovery document once per client instance, and a client is built
// per request (its cache plugin is per connection): keep the document for an hour per process, so
// a warm token costs no network round trip at all.
const DISCOVERY_TTL_MS = 60 * 60 * 1000;
const discoveryCache = new Map<string, { response: NetworkResponse<unknown>; expires: number }>();

/**
 * MSAL's network module on Node's fetch, with a timeout for POSTs too (MSAL's own has none: a
 * token endpoint that never answers would hold a refresh, and its lease, forever). Trusts what
 * Node trusts (NODE_EXTRA_CA_CERTS for a private CA such as the sandbox's).
 */
export function fetchNetworkClient(timeoutMs = REQUEST_TIMEOUT_MS): INetworkModule {
  const send = async <T>(
    method: "GET" | "POST",
    url: string,
    options?: NetworkRequestOptions,
    timeout?: number,
  ): Promise<NetworkResponse<T>> => {
    const discovery = method === "GET" && url.endsWith("/.well-known/openid-configuration");
    const cached = discovery ? discoveryCache.get(url) : undefined;
    if (cached && cached.expires > Date.now()) return cached.response as NetworkResponse<T>;
    const response = await fetch(url, {
      method,
      headers: options?.headers,
      body: method === "POST" ? (options?.body ?? "") : undefined,
      signal: AbortSignal.timeout(timeout ?? timeoutMs),
    });
    const headers: Record<string, string> = {};
    response.headers.forEach((value, key) => {
      headers[key] = value;
    });
    const text = await response.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      body = {
        error: "non_json_response",
        error_description: `The identity platform answered HTTP ${response.status} with a non-JSON body.`,
      };
    }
    const result = { headers, body: body as T, status: response.status };
    if (discovery && response.status === 200)
      discoveryCache.set(url, { response: result, expires: Date.now() + DISCOVERY_TTL_MS });
    return result;
  };
  return {
    sendGetRequestAsync: <T>(url: string, options?: NetworkRequestOptions, timeout?: number) =>
      send<T>("GET", url, options, timeout),
    sendPostRequestAsync: <T>(url: string, options?: NetworkRequestOptions) => send<T>("POST", url, options),
  };
}

// Tests replace the network module (an https.Agent trusting the sandbox CA) without restarting
// the process to change NODE_EXTRA_CA_CERTS.
const globalForMsal = globalThis as unknown as { mailConnectMsalNetwork?: INetworkModule | null };

export function setMsalNetworkClient(client: INetworkModule | null): void {
  globalForMsal.mailConnectMsalNetwork = client;
}

export function createMsalClient(
  config: MicrosoftConfig,
  cachePlugin?: ICachePlugin,
  networkClient?: INetworkModule,
): ConfidentialClientApplication {
  return new ConfidentialClientApplication({
    auth: {
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      authority: config.authority,
      // Skips instance discovery (which would go to login.microsoftonline.com even for a custom or
      // national cloud) and lets MSAL accept the authority's own issuer.
      knownAuthorities: [new URL(config.authorityOrigin).host],
    },
    cache: cachePlugin ? { cachePlugin } : undefined,
    system: {
      networkClient: networkClient ?? globalForMsal.mailConnectMsalNetwork ?? fetchNetworkClient(),
      loggerOptions: {
        piiLoggingEnabled: false,
        logLevel: LogLevel.Error,
        loggerCallback: (level, message, containsPii) => {
          if (!containsPii && level === LogLevel.Error) console.error(`[msal] ${message}`);
        },
      },
    },
  });
}
