import type { EmailSettingsValues } from "@/lib/settings/client-safe/email-schema";
import {
  FIELD_LABELS,
  type DestinationSettings,
  type SecretField,
  usesCertificate,
} from "@/lib/settings/client-safe/requirements";
import { MAIL_ROLES, type MailRole, roleUsesApplication, usesMicrosoft } from "@/lib/microsoft/client-safe/mail-roles";
import { formToColumns, SECRET_COLUMNS, type StoredEmailSettings } from "@/lib/settings/email-columns";

type DestinationField =
  | "smtpHost"
  | "smtpPort"
  | "smtpSecurity"
  | "imapHost"
  | "imapPort"
  | "imapSecurity"
  | "msCloud"
  | "customAuthority"
  | "msTenantId"
  | "msClientId";

/**
 * Where each secret goes, written once: a stored secret is sent only to the destination it was saved
 * with (a password to its host, port and security; the client secret to its cloud, authority, tenant and
 * client id). Changing one of them means typing the secret again in the same save. The Microsoft
 * tokens were issued through the client secret's destination: when it changes, every connection must
 * be authorized again.
 */
export const SECRET_DESTINATIONS: Record<SecretField, readonly DestinationField[]> = {
  smtpPassword: ["smtpHost", "smtpPort", "smtpSecurity"],
  imapPassword: ["imapHost", "imapPort", "imapSecurity"],
  msClientSecret: ["msCloud", "customAuthority", "msTenantId", "msClientId"],
  msCertificate: ["msCloud", "customAuthority", "msTenantId", "msClientId"],
};

const DESTINATION_LABELS: Record<DestinationField, string> = {
  ...FIELD_LABELS,
  smtpSecurity: "SMTP security",
  imapSecurity: "IMAP security",
  msCloud: "Cloud",
};

/** The destination fields of `secret` that differ between what is stored and what is submitted. */
function changedDestination(
  secret: SecretField,
  stored: DestinationSettings,
  next: DestinationSettings,
): DestinationField[] {
  return SECRET_DESTINATIONS[secret].filter((f) => (stored[f] ?? null) !== (next[f] ?? null));
}

/** Whether the settings send the secret anywhere (a secret nobody uses is removed instead of refused). */
function secretInUse(secret: SecretField, s: DestinationSettings): boolean {
  if (secret === "smtpPassword") return s.smtpAuthType === "password";
  if (secret === "imapPassword") return Boolean(s.imapUser) && s.imapAuthType === "password";
  return usesMicrosoft(s) && usesCertificate(s) === (secret === "msCertificate");
}

/** The field error when a stored secret would go to a destination it was not saved for. */
function unboundSecretMessage(secret: SecretField, changed: DestinationField[]): string {
  const what = changed.map((f) => DESTINATION_LABELS[f]).join(", ");
  const where =
    secret === "msClientSecret" || secret === "msCertificate"
      ? "the cloud, authority, tenant and client id it was saved with"
      : "the host, port and security it was saved with";
  const again = secret === "msCertificate" ? "Upload or generate it again" : "Type it again";
  const verb = secret === "msCertificate" ? "used for" : "sent to";
  return `${what} changed: the stored ${FIELD_LABELS[secret]} is only ${verb} ${where}. ${again} to use it with the new ${changed.length === 1 ? "value" : "values"}, or undo the change.`;
}

/** Whether the Microsoft connections' tokens came from another authority, tenant or app than the submitted one. */
function microsoftAppChanged(stored: DestinationSettings, next: DestinationSettings): boolean {
  return changedDestination("msClientSecret", stored, next).length > 0;
}

const APP_TOKEN_DESTINATIONS: Record<MailRole, readonly DestinationField[]> = {
  smtp: ["smtpHost", "smtpPort", "smtpSecurity"],
  imap: ["imapHost", "imapPort", "imapSecurity"],
};

/**
 * Where an Application role's app token goes: its mail host, port and security. The stored Client
 * Secret mints that token whenever it is needed, so for an Application role those fields are a
 * destination of the secret too: changing one means typing the secret again (as for a password).
 * Returns the fields of Application roles (in both `stored` and `next`) that changed.
 */
function appTokenDestinationChanges(stored: DestinationSettings, next: DestinationSettings): DestinationField[] {
  return MAIL_ROLES.filter((r) => roleUsesApplication(stored, r) && roleUsesApplication(next, r)).flatMap((r) =>
    APP_TOKEN_DESTINATIONS[r].filter((f) => (stored[f] ?? null) !== (next[f] ?? null)),
  );
}

/** Roles that start using an Application connection with this save (a new place the secret's tokens go). */
function applicationTurnedOn(stored: DestinationSettings, next: DestinationSettings): MailRole[] {
  return MAIL_ROLES.filter((r) => !roleUsesApplication(stored, r) && roleUsesApplication(next, r));
}

/** The field error when the stored Client Secret would mint app tokens for a mail host it was not saved with. */
function unboundAppTokenMessage(changed: DestinationField[]): string {
  const what = changed.map((f) => DESTINATION_LABELS[f]).join(", ");
  return `${what} changed: with an Application connection the stored ${FIELD_LABELS.msClientSecret} mints tokens that are sent to the mail host it was saved with. Type it again to use it with the new ${changed.length === 1 ? "value" : "values"}, or undo the change.`;
}

/**
 * What a save means for the stored secrets, read from the destination table above: a stored
 * secret kept by this save (not typed again, not cleared) whose destination changed is refused with
 * a field error when the settings still send it (nothing is saved), or removed when nothing uses it.
 */
export type SecretPlan = {
  /** Field errors: the save is refused. */
  errors: Partial<Record<SecretField, string>>;
  /** Stored secrets nobody uses whose destination changed: removed by this save. */
  drop: SecretField[];
  /** Cloud, authority, tenant or client id changed: every Microsoft connection must be authorized again. */
  reauthorizeAll: boolean;
  /** The save changes where a secret or token goes (asks for the admin's password when not confirmed lately). */
  sensitive: boolean;
};

const SECRETS = Object.keys(SECRET_DESTINATIONS) as SecretField[];

export function planSecrets(values: EmailSettingsValues, stored: StoredEmailSettings & { saved: boolean }): SecretPlan {
  const plan: SecretPlan = { errors: {}, drop: [], reauthorizeAll: false, sensitive: false };
  if (!stored.saved) return plan;
  const next = formToColumns(values, () => null);
  for (const secret of SECRETS) {
    const changed = changedDestination(secret, stored, next);
    if (changed.length) plan.sensitive = true;
    const kept = Boolean(stored[SECRET_COLUMNS[secret]]) && values[secret] === "" && !values[`${secret}Clear`];
    if (!kept || !changed.length) continue;
    if (secretInUse(secret, next)) plan.errors[secret] = unboundSecretMessage(secret, changed);
    else plan.drop.push(secret);
  }
  plan.reauthorizeAll = microsoftAppChanged(stored, next);
  // Application roles: the client secret mints the app token sent to the role's mail host (see requirements).
  const appMoved = appTokenDestinationChanges(stored, next);
  if (appMoved.length || applicationTurnedOn(stored, next).length) plan.sensitive = true;
  const secretKept = Boolean(stored.msClientSecretEnc) && values.msClientSecret === "" && !values.msClientSecretClear;
  if (appMoved.length && secretKept && !plan.errors.msClientSecret)
    plan.errors.msClientSecret = unboundAppTokenMessage(appMoved);
  return plan;
}
