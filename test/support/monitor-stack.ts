import type { RunningSandbox } from "@mail-connect/m365-sandbox";
import { SEED_USERS } from "@mail-connect/m365-sandbox";
import { applyMigrations } from "@/lib/db/migrate";
import { databaseUrl } from "@/lib/db/database-url";
import { ADMIN, authorizeAs, configure, startTestSandbox } from "./sandbox-oauth";
import { startWebhookReceiver } from "./webhook-receiver";

/**
 * The health monitor's test stack: the sandbox configured and authorized for both roles, an admin to
 * alert, a webhook receiver on 127.0.0.1 saved as the Monitoring webhook (WEBHOOK_ALLOW_PRIVATE=1).
 */
export async function startMonitorStack(webhookSecret: string) {
  process.env.WEBHOOK_ALLOW_PRIVATE = "1";
  await applyMigrations(databaseUrl());
  const sandbox: RunningSandbox = await startTestSandbox();
  const receiver = await startWebhookReceiver();
  const { db } = await import("@/lib/db/client");
  const monitor = await import("@/lib/monitor/run-monitor");
  const { emailAdmins } = await import("@/lib/mail/notify-admins");
  await configure(sandbox);
  await db.user.create({ data: { id: ADMIN.id, name: ADMIN.name, email: ADMIN.email, emailVerified: true } });
  await authorizeAs(sandbox, "smtp", SEED_USERS.mailer);
  await authorizeAs(sandbox, "imap", SEED_USERS.approvals);
  const { saveMonitorSettings } = await import("@/lib/monitor/monitor-settings-repository");
  await saveMonitorSettings({ intervalMinutes: 15, webhookUrl: receiver.url, webhookSecret, version: 0 }, ADMIN.email);
  return {
    sandbox,
    receiver,
    db,
    monitor,
    /** The monitor's options on the test's clock: alert emails through the sandbox (its CA), quick webhook retries. */
    options: (now: () => number, retryDelaysMs: number[]) => ({
      now: () => new Date(now()),
      tls: { ca: sandbox.caCert },
      notify: (subject: string, text: string) => emailAdmins(subject, text, { tls: { ca: sandbox.caCert } }),
      webhook: { retryDelaysMs },
    }),
    stop: async () => {
      await receiver.stop();
      await sandbox.stop();
    },
  };
}
