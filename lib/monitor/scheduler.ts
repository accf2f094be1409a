import "server-only";
import { runMonitorIfDue } from "@/lib/monitor/run-monitor";

/**
 * The one scheduler for background checks (it replaces the daily keep-alive): every instance ticks
 * every minute and the `health-monitor` lease lets one of them run per interval. The first tick comes a
 * minute after start, once start-up traffic has settled. Off with MAIL_CONNECT_MONITOR=off (or the old MAIL_CONNECT_KEEPALIVE=off).
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
    runMonitorIfDue()
      .then((report) => {
        const failing = report?.results.filter((r) => !r.ok) ?? [];
        if (failing.length)
          console.warn(`[monitor] failing: ${failing.map((f) => `${f.role} ${f.mailbox}: ${f.summary}`).join("; ")}`);
      })
      .catch((error: unknown) =>
        console.error("[monitor] run failed:", error instanceof Error ? error.message : String(error)),
      )
      .finally(() => {
        running = false;
      });
  };
  globalForMonitor.mailConnectMonitor = setInterval(tick, TICK_MS);
  globalForMonitor.mailConnectMonitor.unref();
}
