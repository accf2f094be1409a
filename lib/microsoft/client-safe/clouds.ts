/**
 * Microsoft clouds: the sign-in authority, the Outlook resource that IMAP/SMTP tokens are issued
 * for, and the mail hosts. The Email Settings form uses the defaults.
 */
export const CLOUD_IDS = ["global", "usgov", "usgovdod", "china", "custom"] as const;
export type CloudId = (typeof CLOUD_IDS)[number];

export type CloudDefinition = {
  label: string;
  /** The Azure portal where this cloud's app registrations live. */
  portal: string;
  authority: string;
  outlookResource: string;
  /**
   * Exchange Online's resource for app-only tokens (client credentials: `<resource>/.default`):
   * Global `https://outlook.office365.com`, and the national clouds' Exchange endpoints.
   */
  exchangeAppResource: string;
  /**
   * Microsoft Graph of this cloud: where `sendMail` is posted and the resource its scopes name
   * (`<graph>/Mail.Send`, app-only `<graph>/.default`). National cloud deployments: Global
   * graph.microsoft.com, GCC High graph.microsoft.us, DoD dod-graph.microsoft.us, China
   * microsoftgraph.chinacloudapi.cn.
   */
  graph: string;
  smtp: { host: string; port: number; security: "starttls" };
  imap: { host: string; port: number; security: "tls" };
};

export const CLOUDS: Record<Exclude<CloudId, "custom">, CloudDefinition> = {
  global: {
    label: "Global (Microsoft 365)",
    portal: "https://portal.azure.com",
    authority: "https://login.microsoftonline.com",
    outlookResource: "https://outlook.office.com",
    exchangeAppResource: "https://outlook.office365.com",
    graph: "https://graph.microsoft.com",
    smtp: { host: "smtp.office365.com", port: 587, security: "starttls" },
    imap: { host: "outlook.office365.com", port: 993, security: "tls" },
  },
  usgov: {
    label: "US Government GCC High",
    portal: "https://portal.azure.us",
    authority: "https://login.microsoftonline.us",
    outlookResource: "https://outlook.office365.us",
    exchangeAppResource: "https://outlook.office365.us",
    graph: "https://graph.microsoft.us",
    smtp: { host: "smtp.office365.us", port: 587, security: "starttls" },
    imap: { host: "outlook.office365.us", port: 993, security: "tls" },
  },
  usgovdod: {
    label: "US Government DoD",
    portal: "https://portal.azure.us",
    authority: "https://login.microsoftonline.us",
    outlookResource: "https://outlook-dod.office365.us",
    exchangeAppResource: "https://outlook-dod.office365.us",
    graph: "https://dod-graph.microsoft.us",
    smtp: { host: "smtp.office365.us", port: 587, security: "starttls" },
    imap: { host: "outlook-dod.office365.us", port: 993, security: "tls" },
  },
  china: {
    label: "China (operated by 21Vianet)",
    portal: "https://portal.azure.cn",
    authority: "https://login.chinacloudapi.cn",
    outlookResource: "https://partner.outlook.cn",
    exchangeAppResource: "https://partner.outlook.cn",
    graph: "https://microsoftgraph.chinacloudapi.cn",
    smtp: { host: "smtp.partner.outlook.cn", port: 587, security: "starttls" },
    imap: { host: "partner.outlook.cn", port: 993, security: "tls" },
  },
};

export const CLOUD_LABELS: Record<CloudId, string> = {
  global: CLOUDS.global.label,
  usgov: CLOUDS.usgov.label,
  usgovdod: CLOUDS.usgovdod.label,
  china: CLOUDS.china.label,
  custom: "Custom (your own authority, e.g. the local Microsoft 365 sandbox)",
};

/** Mail hosts that the Microsoft OAuth defaults may replace when the cloud changes. */
export const KNOWN_MICROSOFT_HOSTS = new Set(
  Object.values(CLOUDS)
    .flatMap((c) => [c.smtp.host, c.imap.host])
    .concat(["smtp.outlook.com", "outlook.office.com"]),
);

/** Custom cloud: Graph tokens are asked for the global Graph resource; the Graph host field says where to post. */
export const CUSTOM_GRAPH_RESOURCE = "https://graph.microsoft.com";

/** The authority and resource in force for saved settings. */
export function resolveCloud(settings: {
  msCloud: string;
  customAuthority: string | null;
  customOutlookResource: string | null;
  customGraphHost?: string | null;
}): {
  authority: string;
  outlookResource: string;
  /** The resource app-only tokens are requested for (Custom: the configured Outlook resource). */
  exchangeAppResource: string;
  /** Where Graph requests go (Custom: the Graph host field). */
  graphEndpoint: string;
  /** The resource Graph scopes name. */
  graphResource: string;
} {
  if (settings.msCloud === "custom") {
    const resource = (settings.customOutlookResource ?? "").replace(/\/+$/, "");
    return {
      authority: settings.customAuthority ?? "",
      outlookResource: resource,
      exchangeAppResource: resource,
      graphEndpoint: (settings.customGraphHost ?? "").replace(/\/+$/, ""),
      graphResource: CUSTOM_GRAPH_RESOURCE,
    };
  }
  const cloud = CLOUDS[settings.msCloud as Exclude<CloudId, "custom">] ?? CLOUDS.global;
  return {
    authority: cloud.authority,
    outlookResource: cloud.outlookResource,
    exchangeAppResource: cloud.exchangeAppResource,
    graphEndpoint: cloud.graph,
    graphResource: cloud.graph,
  };
}

/** Delegated Graph scope for sending: `<graph>/Mail.Send`, or `Mail.Send.Shared` for another mailbox's From. */
export function graphSendScope(graphResource: string, shared: boolean): string {
  return `${graphResource.replace(/\/+$/, "")}/${shared ? "Mail.Send.Shared" : "Mail.Send"}`;
}

/** App-only Graph scope: `<graph>/.default` (the application permission Mail.Send is in the token's roles). */
export function graphAppScope(graphResource: string): string {
  return `${graphResource.replace(/\/+$/, "")}/.default`;
}

/** The client-credentials scope for Exchange Online: the resource + `/.default`. */
export function exchangeAppScope(exchangeAppResource: string): string {
  return `${exchangeAppResource.replace(/\/+$/, "")}/.default`;
}

/** The app registrations list in the Azure portal of the saved cloud (Custom: the global portal). */
export function appRegistrationsUrl(cloud: string): string {
  const portal = cloud in CLOUDS ? CLOUDS[cloud as Exclude<CloudId, "custom">].portal : CLOUDS.global.portal;
  return `${portal}/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade`;
}
