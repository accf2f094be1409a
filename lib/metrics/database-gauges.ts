import "server-only";
import { loadMailRoles } from "@/lib/microsoft/mail-roles-loader";
import type { RoleStatus } from "@/lib/microsoft/mail-role-status";
import { storedCertificate } from "@/lib/settings/email-repository";
import { metrics } from "@/lib/metrics/metrics";

const DAY_MS = 24 * 60 * 60 * 1000;

/** A role's status now: healthy, needs_reauth, failing (app-only), not_connected, or password (no Microsoft). */
export function roleStatusName(r: RoleStatus): string {
  if (!r.usesMicrosoft) return r.mailbox ? "password" : "not_configured";
  if (r.healthy) return "healthy";
  if (r.connectionType === "application") return r.appConnection ? "failing" : "not_connected";
  if (!r.connection) return "not_connected";
  if (r.connection.status === "needs_reauth") return "needs_reauth";
  return "not_covered"; // connected, but the grant lacks this role's permission
}

/**
 * Sets the gauges from the database (at every scrape, so each instance reports the shared state):
 * each mail role's connection status, and the days until the app registration's credential expires
 * (the certificate's notAfter; a client secret's expiry date when one is stored with it).
 */
export async function readDatabaseGauges(now = new Date()): Promise<void> {
  const m = metrics();
  const { settings, status } = await loadMailRoles();
  m.connectionStatus.reset();
  for (const role of status.roles) {
    m.connectionStatus.set({ role: role.role, mailbox: role.mailbox ?? "", status: roleStatusName(role) }, 1);
  }
  m.credentialExpiryDays.reset();
  const certificate = settings.msCredentialType === "certificate" ? storedCertificate(settings) : null;
  if (certificate) {
    m.credentialExpiryDays.set(
      { credential: "certificate" },
      Math.floor((Date.parse(certificate.notAfter) - now.getTime()) / DAY_MS),
    );
  }
  // The client secret's expiry date, when it was entered with the secret.
  const secretExpiry = settings.msClientSecretExpiresAt;
  if (settings.msCredentialType !== "certificate" && settings.msClientSecretEnc && secretExpiry) {
    m.credentialExpiryDays.set(
      { credential: "client_secret" },
      Math.floor((secretExpiry.getTime() - now.getTime()) / DAY_MS),
    );
  }
}
