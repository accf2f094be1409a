/**
 * Vitest helper for Application (app-only) connections: everything Exchange needs granted in the
 * sandbox (admin consent, the service principal, FullAccess on each mailbox).
 */
import { SEED_APP, type RunningSandbox } from "@mail-connect/m365-sandbox";

export async function grantAppOnlyAccess(sandbox: RunningSandbox, mailboxes: string[]): Promise<void> {
  await sandbox.control.appOnly.setAppConsent(SEED_APP.clientId, true);
  const registered = await sandbox.control.appOnly.servicePrincipals();
  if (!registered.some((sp) => sp.objectId === SEED_APP.servicePrincipalObjectId))
    await sandbox.control.appOnly.newServicePrincipal({
      appId: SEED_APP.clientId,
      objectId: SEED_APP.servicePrincipalObjectId,
    });
  for (const m of mailboxes)
    await sandbox.control.appOnly.setMailboxFullAccess(m, SEED_APP.servicePrincipalObjectId, true);
}
