import "server-only";
import { issueSetupCode } from "@/lib/auth/setup-code";
import { onProcessStop, serverTls } from "@/lib/runtime/process-hooks";
import { errorText, logger } from "@/lib/log/logger";

const log = logger("start");

/**
 * Start-up work that needs the database: the first-run setup code, before the server answers. The
 * health monitor's scheduler (lib/monitor: token refresh when due, mailbox probes, alerts), the relay's
 * switch poll and the audit retention start too, off the path to the first answer: the monitor loads
 * its checks (MSAL, the mail stack) at its first tick, a minute after start; the relay loads its
 * listeners when one is enabled on the Relay page.
 */
export async function onServerStart(): Promise<void> {
  import("@/lib/monitor/scheduler")
    .then(({ startMonitorScheduler }) => startMonitorScheduler())
    .catch((error: unknown) => log.error({ error: errorText(error) }, "could not start the health monitor"));
  startRelayWhenServing();
  startAuditRetention();
  try {
    // The session and relay secrets, stored sealed with the data key (lib/crypto/auth-secrets.ts).
    await (await import("@/lib/crypto/auth-secrets")).ensureAppSecrets();
  } catch (error) {
    log.error({ error: errorText(error) }, "could not read the stored session secrets");
  }
  try {
    const code = await issueSetupCode();
    if (code) {
      const line = "*".repeat(64);
      console.log(
        `\n${line}\nNo administrator exists yet. Open /setup and enter this one-time setup code:\n\n    ${code}\n\n` +
          `(A new code is printed at every start until the first administrator is created.\n` +
          ` Automation: npm run admin:create -- --email you@example.com)\n${line}\n`,
      );
    }
  } catch (error) {
    log.error({ error: errorText(error) }, "could not prepare first-run setup");
  }
}

/**
 * The SMTP relay (lib/relay): in the server process only (it serves with the server's certificate), off
 * until enabled on the Relay page — every instance polls the switch. SIGTERM lets its sessions finish.
 */
function startRelayWhenServing(): void {
  const tls = serverTls();
  if (!tls) return;
  Promise.all([tls, import("@/lib/relay/relay-runtime")])
    .then(([{ key, cert }, { startRelayRuntime }]) => onProcessStop(startRelayRuntime({ key, cert }).stop))
    .catch((error: unknown) => log.error({ error: errorText(error) }, "could not start the SMTP relay"));
}

/** The daily audit retention (lib/audit/retention.ts): addresses and user agents blanked after 90 days. */
function startAuditRetention(): void {
  import("@/lib/audit/retention-scheduler")
    .then(({ startAuditRetentionScheduler }) => startAuditRetentionScheduler())
    .catch((error: unknown) => log.error({ error: errorText(error) }, "could not start the audit retention"));
}
