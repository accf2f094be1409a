import { Counter, Gauge, Registry } from "prom-client";
import { instanceId } from "@/lib/runtime/instance-id";

/**
 * The Prometheus metrics of this instance (prom-client), served by /api/metrics: every series has an
 * `instance` label (the process's instance id, as in the logs and the leases). Counters count what this
 * instance did since it started; the gauges are read from the database at scrape time
 * (lib/metrics/database-gauges.ts), so every instance reports the same shared state.
 * One registry per process, kept on `globalThis` (the server bundle and the Next.js runtime each
 * load this module).
 */

function build() {
  const registry = new Registry();
  registry.setDefaultLabels({ instance: instanceId() });
  const counter = (name: string, help: string, labelNames: string[]) =>
    new Counter({ name, help, labelNames, registers: [registry] });
  return {
    registry,
    checks: counter("mailconnect_checks_total", "Mailbox checks run (SMTP, IMAP), by mailbox, protocol and source", [
      "mailbox",
      "protocol",
      "source",
    ]),
    checkFailures: counter(
      "mailconnect_check_failures_total",
      "Mailbox checks that failed, by mailbox, protocol and source",
      ["mailbox", "protocol", "source"],
    ),
    tokenRefreshes: counter(
      "mailconnect_token_refreshes_total",
      "Tokens obtained from Microsoft (not from the cache), by connection type",
      ["connection_type"],
    ),
    tokenRefreshFailures: counter(
      "mailconnect_token_refresh_failures_total",
      "Token requests to Microsoft that failed, by connection type",
      ["connection_type"],
    ),
    alertDeliveries: counter("mailconnect_alert_deliveries_total", "Alert deliveries, by channel and outcome", [
      "channel",
      "outcome",
    ]),
    relayMessages: counter("mailconnect_relay_messages_total", "Messages submitted to the relay, by outcome", [
      "outcome",
    ]),
    connectionStatus: new Gauge({
      name: "mailconnect_connection_status",
      help: "Each mail role's connection status now (1 for its current status), from the database",
      labelNames: ["role", "mailbox", "status"],
      registers: [registry],
    }),
    credentialExpiryDays: new Gauge({
      name: "mailconnect_credential_expiry_days",
      help: "Days until the app registration's credential expires (negative: expired), when known",
      labelNames: ["credential"],
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof build>;
const KEY = Symbol.for("mail-connect.metrics");
const slots = globalThis as unknown as Record<symbol, Metrics | undefined>;

export function metrics(): Metrics {
  slots[KEY] ??= build();
  return slots[KEY];
}

export type CheckSource = "test" | "monitor";

/** A mailbox check ran (Test Email Configuration: source "test"; the health monitor: "monitor"). */
export function countCheck(mailbox: string, protocol: "smtp" | "imap", ok: boolean, source: CheckSource): void {
  const labels = { mailbox: mailbox.toLowerCase(), protocol, source };
  metrics().checks.inc(labels);
  if (!ok) metrics().checkFailures.inc(labels);
}

export function countTokenRefresh(connectionType: "delegated" | "application", ok: boolean): void {
  (ok ? metrics().tokenRefreshes : metrics().tokenRefreshFailures).inc({ connection_type: connectionType });
}

export function countAlertDelivery(channel: "email" | "webhook", ok: boolean): void {
  metrics().alertDeliveries.inc({ channel, outcome: ok ? "sent" : "failed" });
}

/** relayed: forwarded to Microsoft; refused: turned away by the relay; failed: Microsoft refused it. */
export function countRelayMessage(outcome: "relayed" | "refused" | "failed"): void {
  metrics().relayMessages.inc({ outcome });
}
