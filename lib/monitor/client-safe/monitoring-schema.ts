import "@/lib/http/client-safe/zod-without-eval"; // first: before any schema is built
import { z } from "zod";
import { plainText, secretField, versionField, wholeNumber } from "@/lib/settings/client-safe/fields";

/**
 * The Monitoring settings (Status page): how often the health monitor runs and the optional alert
 * webhook. One schema for the form, the action and the repository. The webhook URL's syntax is checked
 * here; where it points (https, no private address) is checked on the server (lib/alerts/webhook-target.ts).
 */

export const MONITOR_INTERVAL = { min: 5, max: 1440, default: 15 } as const;
export const WEBHOOK_URL_MAX = 500;

export const webhookUrlField = plainText()
  .max(WEBHOOK_URL_MAX, `Webhook URL must be at most ${WEBHOOK_URL_MAX} characters`)
  .refine(
    (value) => {
      if (value === "") return true;
      try {
        const url = new URL(value);
        return (url.protocol === "https:" || url.protocol === "http:") && Boolean(url.hostname);
      } catch {
        return false;
      }
    },
    { message: "Webhook URL must be an absolute URL such as https://hooks.example.com/mail-connect", abort: true },
  )
  .refine(
    (value) => {
      if (value === "") return true;
      const url = new URL(value);
      return !url.username && !url.password;
    },
    { message: "Webhook URL must not contain a user name or password (the secret signs each request)" },
  );

export const monitoringSettingsSchema = z
  .object({
    intervalMinutes: wholeNumber("Check interval", MONITOR_INTERVAL.min, MONITOR_INTERVAL.max),
    webhookUrl: webhookUrlField,
    /** Empty: keep the stored secret (when the URL did not change). */
    webhookSecret: secretField,
    version: versionField,
  })
  .strict();

export type MonitoringSettingsInput = z.input<typeof monitoringSettingsSchema>;
export type MonitoringSettingsValues = z.output<typeof monitoringSettingsSchema>;

export const MONITORED_ROLES = ["smtp", "imap"] as const;

export const pauseAlertsSchema = z.object({ role: z.enum(MONITORED_ROLES), paused: z.boolean() }).strict();

export const noInputSchema = z.object({}).strict();
