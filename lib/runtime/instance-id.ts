import { randomUUID } from "node:crypto";

/**
 * This process's instance id (lease holders, the `instance` field of logs and label of metrics): one per
 * process, kept on `globalThis` under a registered symbol so the server bundle and the Next.js runtime
 * (separate copies of this module) agree.
 */
const KEY = Symbol.for("mail-connect.instance-id");
const slots = globalThis as unknown as Record<symbol, string | undefined>;

export function instanceId(): string {
  slots[KEY] ??= randomUUID();
  return slots[KEY];
}
