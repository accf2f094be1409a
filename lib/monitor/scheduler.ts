import "server-only";
import { errorText, logger } from "@/lib/log/logger";

const log = logger("monitor");

/**
 * The one scheduler for background checks (it replaces the daily keep-alive): every instance ticks
 * every minute and the `health-monitor` lease lets one of them run per interval. The first tick comes a
 * minute after start, once start-up traffic has settled; the checks and what they need (MSAL, the mail
 * stack) are loaded then, not at start. Off with MAIL_CONNECT_MONITOR=off (or the old MAIL_CONNECT_KEEPALIVE=off).
 */
const TICK_MS = 60_000;
const globalForMonitor = globalThis as unknown as { mailConnectMonitor?: NodeJS.Timeout };

export function startMonitorScheduler(): void {
  const off = process.env.MAIL_CONNECT_MONITOR === "off" || process.env.MAIL_CONNECT_KEEPALIVE === "off"; // the latter: its old name
  if (off || globalForMonitor.mailConnectMonitor) return;
  let running = false;
  const tick = () => {
    if (running) return;
    running = true;
    import("@/lib/monitor/run-monitor")
      .then(({ runMonitorIfDue }) => runMonitorIfDue())
      .then((report) => {
        const failing = report?.results.filter((r) => !r.ok) ?? [];
        for (const f of failing) log.warn({ role: f.role, mailbox: f.mailbox, summary: f.summary }, "mailbox failing");
      })
      .catch((error: unknown) => log.error({ error: errorText(error) }, "monitor run failed"))
      .finally(() => {
        running = false;
      });
  };
  globalForMonitor.mailConnectMonitor = setInterval(tick, TICK_MS);
  globalForMonitor.mailConnectMonitor.unref();
}
