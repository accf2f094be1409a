export type SecretStatus = { set: boolean; endsWith?: string };
export type SecretStatuses = Record<"smtpPassword" | "imapPassword" | "msClientSecret" | "msCertificate", SecretStatus>;
