import "server-only";
import { ConfidentialClientApplication, LogLevel, type ICachePlugin, type INetworkModule } from "@azure/msal-node";
import { resolveCloud } from "@/lib/microsoft/client-safe/clouds";
import { getEmailSettings, readSecret, type StoredEmailSettings } from "@/lib/settings/email-repository";
import { clientRequirements, FIELD_LABELS, missing, usesCertificate } from "@/lib/settings/client-safe/requirements";
import { certificateDetails } from "@/lib/microsoft/certificate/certificate-details";
import { identityNetworkClient } from "@/lib/microsoft/network-client";
import { logger } from "@/lib/log/logger";

const log = logger("msal");

/**
 * The MSAL ConfidentialClientApplication factory, and the one place that reads the app registration's
 * credential (every grant, delegated or app-only, uses it): a client secret, or a certificate whose
 * private key signs MSAL's client assertion (`clientCertificate`: SHA-256 thumbprint, PKCS#8 key, x5c).
 * Secrets and the key are decrypted here, on the server, for the request that needs them; they never
 * leave this process.
 */

export type ClientCredential =
  | { kind: "secret"; clientSecret: string }
  | { kind: "certificate"; thumbprintSha256: string; privateKey: string; x5c: string };

export type MicrosoftConfig = {
  clientId: string;
  credential: ClientCredential;
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
  const [absent] = missing(clientRequirements(settings), settings, {
    smtpPassword: true,
    imapPassword: true,
    msClientSecret: Boolean(settings.msClientSecretEnc),
    msCertificate: Boolean(settings.msCertificateKeyEnc && settings.msCertificatePem),
  });
  if (absent) return { problem: `${FIELD_LABELS[absent.field]} is missing in Email Settings.` };
  const credential = credentialFrom(settings);
  if ("problem" in credential) return credential;
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
    credential,
    tenant: settings.msTenantId!,
    authorityOrigin: origin,
    authority: `${origin}/${settings.msTenantId}`,
    outlookResource: cloud.outlookResource,
    settings,
  };
}

/** The saved credential, decrypted (the private key only here, for MSAL). */
function credentialFrom(settings: StoredEmailSettings): ClientCredential | ConfigProblem {
  const label = usesCertificate(settings) ? "certificate's private key" : "Client Secret";
  let sealed: string | null;
  try {
    sealed = readSecret(settings, usesCertificate(settings) ? "msCertificate" : "msClientSecret");
  } catch {
    const again = usesCertificate(settings) ? "Upload or generate the certificate again" : "Enter the secret again";
    return { problem: `The stored ${label} cannot be decrypted (the encryption key changed?). ${again} and save.` };
  }
  if (!sealed)
    return { problem: `${usesCertificate(settings) ? "Certificate" : "Client Secret"} is missing in Email Settings.` };
  if (!usesCertificate(settings)) return { kind: "secret", clientSecret: sealed };
  const details = certificateDetails(settings.msCertificatePem!);
  if (details.state === "expired")
    return {
      problem: `The certificate expired on ${details.notAfter.slice(0, 10)}: upload or generate a new one in Email Settings, and upload its .cer in Azure.`,
    };
  return {
    kind: "certificate",
    thumbprintSha256: details.thumbprintSha256,
    privateKey: sealed,
    x5c: settings.msCertificatePem!,
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
      ...(config.credential.kind === "secret"
        ? { clientSecret: config.credential.clientSecret }
        : {
            clientCertificate: {
              thumbprintSha256: config.credential.thumbprintSha256,
              privateKey: config.credential.privateKey,
              x5c: config.credential.x5c,
            },
          }),
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
          if (!containsPii && level === LogLevel.Error) log.error(message);
        },
      },
    },
  });
}
