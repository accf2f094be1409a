import "server-only";
import { countAlertDelivery } from "@/lib/metrics/metrics";
import { logger } from "@/lib/log/logger";
import { db } from "@/lib/db/client";
import { alertSubject, alertText, webhookPayload, type AlertEventInput } from "@/lib/alerts/alert-events";
import { deliverWebhook, type WebhookOptions } from "@/lib/alerts/webhook-delivery";
import { emailAdmins, type NotifyResult } from "@/lib/mail/notify-admins";
import { readWebhookTarget } from "@/lib/monitor/monitor-settings-repository";

/**
 * Raises one alert: recorded (AlertEvent), then emailed to every administrator (through the configured
 * SMTP, when it works) and posted to the webhook when one is configured; each delivery is recorded with
 * its attempts. Never throws for a failed delivery: the result says what reached whom. One log line per alert.
 */
const log = logger("alerts");

export type AlertOptions = {
  /** Default: emailAdmins (tests pass the sandbox's CA). */
  notify?: (subject: string, text: string) => Promise<NotifyResult>;
  webhook?: WebhookOptions;
  /** Record only, deliver nothing (alerts paused for the mailbox). */
  paused?: boolean;
  /** Default: both. */
  channels?: Array<"email" | "webhook">;
};

export type RaisedAlert = {
  id: string;
  kind: string;
  target: string;
  email: NotifyResult | null;
  webhook: { ok: boolean; attempts: number; detail: string } | null;
  /** At least one channel delivered it. */
  delivered: boolean;
};

export async function raiseAlert(event: AlertEventInput, options: AlertOptions = {}): Promise<RaisedAlert> {
  const row = await db.alertEvent.create({
    data: { kind: event.kind, target: event.target, summary: event.summary.slice(0, 1000) },
  });
  const result: RaisedAlert = {
    id: row.id,
    kind: event.kind,
    target: event.target,
    email: null,
    webhook: null,
    delivered: false,
  };
  if (options.paused) {
    await db.alertDelivery.create({
      data: {
        eventId: row.id,
        channel: "paused",
        ok: false,
        attempts: 0,
        detail: "Alerts are paused for this mailbox.",
      },
    });
    return result;
  }
  const channels = options.channels ?? ["email", "webhook"];
  const notify = options.notify ?? emailAdmins;
  const [email, webhook] = await Promise.all([
    channels.includes("email") ? notify(alertSubject(event), alertText(event)) : null,
    channels.includes("webhook")
      ? readWebhookTarget().then((target) =>
          target
            ? deliverWebhook(target, event.kind, webhookPayload(row.id, row.createdAt, event), options.webhook)
            : null,
        )
      : null,
  ]);
  result.email = email;
  result.webhook = webhook;
  result.delivered = Boolean(email?.sent || webhook?.ok);
  const deliveries = [
    ...(email
      ? [
          {
            eventId: row.id,
            channel: "email",
            ok: email.sent,
            attempts: 1,
            detail: email.sent ? `Sent to ${email.to.join(", ")}` : `Not sent: ${email.reason}`,
          },
        ]
      : []),
    ...(webhook ? [{ eventId: row.id, channel: "webhook", ...webhook }] : []),
  ];
  if (deliveries.length) await db.alertDelivery.createMany({ data: deliveries });
  for (const d of deliveries) countAlertDelivery(d.channel as "email" | "webhook", d.ok);
  log.info(
    { kind: event.kind, target: event.target, deliveries: deliveries.map((d) => `${d.channel}: ${d.detail}`) },
    "alert raised",
  );
  return result;
}

/** Alerts and their deliveries older than `days` are removed (the monitor prunes at every run). */
export async function pruneAlerts(before: Date): Promise<number> {
  await db.alertDelivery.deleteMany({ where: { event: { createdAt: { lt: before } } } });
  const { count } = await db.alertEvent.deleteMany({ where: { createdAt: { lt: before } } });
  return count;
}

export async function recentAlerts(take = 30) {
  return db.alertEvent.findMany({
    orderBy: { createdAt: "desc" },
    take,
    include: { deliveries: { orderBy: { createdAt: "asc" } } },
  });
}
