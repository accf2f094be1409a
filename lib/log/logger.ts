import pino, { type Logger } from "pino";
import { instanceId } from "@/lib/runtime/instance-id";
import { redact } from "@/lib/mail/redact";

/**
 * The server's operational log (pino): one line per event — a request refused or failed, a check run,
 * an alert, the relay's sessions. LOG_FORMAT=json: one JSON object per line (`time`, `level`, `msg`,
 * `instance`, `component` and the event's fields), for a log pipeline; otherwise a readable line.
 * LOG_LEVEL (default info) filters. Never a secret: fields named like one are replaced by pino's redact
 * paths, and every message and string field goes through lib/mail/redact.ts (tokens, SASL blobs,
 * `password=…`).
 *
 * Use: `log.child({ component: "relay" }).warn({ credential, address }, "failed sign-in")`, or
 * `logger("monitor").info({ mailbox, protocol, ok }, "check")`.
 */

const SECRET_KEYS = [
  "password",
  "pass",
  "secret",
  "clientSecret",
  "client_secret",
  "accessToken",
  "access_token",
  "refreshToken",
  "refresh_token",
  "idToken",
  "token",
  "authorization",
  "cookie",
  "privateKey",
  "privateKeyPem",
  "apiKey",
  "webhookSecret",
  "setupCode",
];

export const REDACT_PATHS = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((k) => `*.${k}`),
  'req.headers["set-cookie"]',
  'res.headers["set-cookie"]',
];

function clean(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return redact(value);
  if (depth > 4 || value === null || typeof value !== "object") return value;
  if (value instanceof Error) return { type: value.name, message: redact(value.message) };
  if (Array.isArray(value)) return value.map((v) => clean(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clean(v, depth + 1)]));
}

const LEVEL_NAMES: Record<number, string> = {
  10: "TRACE",
  20: "DEBUG",
  30: "INFO",
  40: "WARN",
  50: "ERROR",
  60: "FATAL",
};

/** A readable line: `2026-12-03T10:00:00.000Z WARN  [relay] failed sign-in credential=product address=…`. */
export function readableLine(line: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const { time, level, msg, component, instance: _instance, ...fields } = entry;
  const when = typeof time === "number" ? new Date(time).toISOString() : String(time ?? "");
  const name = (LEVEL_NAMES[Number(level)] ?? String(level)).padEnd(5);
  const extra = Object.entries(fields)
    .map(([k, v]) => `${k}=${typeof v === "string" ? (/\s/.test(v) ? JSON.stringify(v) : v) : JSON.stringify(v)}`)
    .join(" ");
  return `${when} ${name} ${component ? `[${component}] ` : ""}${msg ?? ""}${extra ? ` ${extra}` : ""}\n`;
}

export type LogDestination = { write: (line: string) => void };

/** Builds a logger (the app's `log` below; tests pass a destination to read the lines). */
export function createLogger(options: { json?: boolean; level?: string; destination?: LogDestination } = {}): Logger {
  const json = options.json ?? process.env.LOG_FORMAT === "json";
  const write = (line: string) => {
    const text = json ? line : readableLine(line);
    if (options.destination) return options.destination.write(text);
    const level = Number(/"level":(\d+)/.exec(line)?.[1] ?? 30);
    (level >= 40 ? process.stderr : process.stdout).write(text); // warnings and errors on stderr
  };
  return pino(
    {
      level: options.level ?? process.env.LOG_LEVEL ?? "info",
      base: { instance: instanceId() },
      timestamp: json ? pino.stdTimeFunctions.isoTime : pino.stdTimeFunctions.epochTime,
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      serializers: { err: (error: unknown) => clean(error) },
      formatters: {
        level: (_label, number) => ({ level: number }),
        log: (object) => clean(object) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => (typeof a === "string" ? redact(a) : a)) as Parameters<typeof method>);
        },
      },
    },
    { write },
  );
}

const globalForLog = globalThis as unknown as { mailConnectLog?: Logger };
globalForLog.mailConnectLog ??= createLogger();

export const log: Logger = globalForLog.mailConnectLog;

/** The logger of one part of the server (`component` field). */
export function logger(component: string): Logger {
  return log.child({ component });
}

/** A message of an unknown thrown value, for a log field. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
