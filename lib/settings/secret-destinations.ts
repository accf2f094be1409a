import type { EmailSettingsValues } from "@/lib/settings/client-safe/email-schema";
import {
  applicationTurnedOn,
  appTokenDestinationChanges,
  changedDestination,
  microsoftAppChanged,
  SECRET_DESTINATIONS,
  secretInUse,
  unboundAppTokenMessage,
  unboundSecretMessage,
  type SecretField,
} from "@/lib/settings/client-safe/requirements";
import { formToColumns, SECRET_COLUMNS, type StoredEmailSettings } from "@/lib/settings/email-columns";

/**
 * What a save means for the stored secrets, read from the requirements' destination table: a stored
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
