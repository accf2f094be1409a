import "server-only";
import { ConfidentialClientApplication, LogLevel, type ICachePlugin, type INetworkModule } from "@azure/msal-node";
import { resolveCloud } from "@/lib/microsoft/client-safe/clouds";
import { getEmailSettings, readSecret, type StoredEmailSettings } from "@/lib/settings/email-repository";
import { clientRequirements, FIELD_LABELS, missing } from "@/lib/settings/client-safe/requirements";
import { identityNetworkClient } from "@/lib/microsoft/network-client";

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
      // Callers that translate failures pass their own (it remembers the last one).
      networkClient: networkClient ?? identityNetworkClient(),
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
