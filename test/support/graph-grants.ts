/**
 * Vitest helper for the Graph transport: the seeded app's Microsoft Graph permissions in the sandbox —
 * delegated Mail.Send and Mail.Send.Shared configured with admin consent, and (for app-only) Graph's
 * application permission Mail.Send with admin consent.
 */
import { SEED_APP, type RunningSandbox } from "@mail-connect/m365-sandbox";

export const GRAPH = "https://graph.microsoft.com";

export async function grantGraphDelegated(sandbox: RunningSandbox): Promise<void> {
  const app = await sandbox.control.app(SEED_APP.clientId);
  const wanted = [`${GRAPH}/Mail.Send`, `${GRAPH}/Mail.Send.Shared`];
  await sandbox.control.updateApp(SEED_APP.clientId, {
    requiredScopes: [...new Set([...app.requiredScopes, ...wanted])],
  });
  await sandbox.control.updateApp(SEED_APP.clientId, { consentGranted: true }); // grants the configured scopes
}

export async function grantGraphApplication(sandbox: RunningSandbox, granted = true): Promise<void> {
  await sandbox.control.appOnly.setGraphAppPermissions(SEED_APP.clientId, ["Mail.Send"], granted);
}
