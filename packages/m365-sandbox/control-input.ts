import type { SandboxContext } from "./context";
import { ControlError } from "./control-faults";
import type { AppRecord, MailboxRecord, TenantRecord, UserRecord } from "./store";

/**
 * The control API's input: a JSON body's fields by type (a wrong type is a 400 naming the field) and the
 * records a request names (an unknown one is a 404).
 */

export type Json = Record<string, unknown>;

export function str(body: Json, key: string, required: true): string;
export function str(body: Json, key: string, required?: false): string | undefined;
export function str(body: Json, key: string, required = false): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) {
    if (required) throw new ControlError(400, `missing '${key}'`);
    return undefined;
  }
  if (typeof v !== "string") throw new ControlError(400, `'${key}' must be a string`);
  return v;
}

export function bool(body: Json, key: string): boolean | undefined {
  const v = body[key];
  if (v === undefined) return undefined;
  if (typeof v !== "boolean") throw new ControlError(400, `'${key}' must be a boolean`);
  return v;
}

export function num(body: Json, key: string): number | undefined {
  const v = body[key];
  if (v === undefined) return undefined;
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0)
    throw new ControlError(400, `'${key}' must be a non-negative number`);
  return v;
}

export function strings(body: Json, key: string): string[] | undefined {
  const v = body[key];
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== "string"))
    throw new ControlError(400, `'${key}' must be an array of strings`);
  return v as string[];
}

export function tenantOf(ctx: SandboxContext, tenantId: string | undefined): TenantRecord {
  const tenant = tenantId ? ctx.store.tenantByIdOrDomain(tenantId) : ctx.store.data.tenants[0];
  if (!tenant) throw new ControlError(404, `tenant not found: ${tenantId ?? "(default)"}`);
  return tenant;
}

export function userOf(ctx: SandboxContext, email: string): UserRecord {
  const user = ctx.store.userByUpn(email);
  if (!user) throw new ControlError(404, `user not found: ${email}`);
  return user;
}

export function mailboxOf(ctx: SandboxContext, email: string): MailboxRecord {
  const mailbox = ctx.store.mailbox(email);
  if (!mailbox) throw new ControlError(404, `mailbox not found: ${email}`);
  return mailbox;
}

export function appOf(ctx: SandboxContext, clientId: string | undefined): AppRecord {
  const app = clientId ? ctx.store.app(clientId) : undefined;
  if (!app) throw new ControlError(404, `app not found: ${clientId ?? ""}`);
  return app;
}

/** A required string, trimmed (empty counts as missing). */
export function text(body: Json, key: string): string {
  const v = body[key];
  if (typeof v !== "string" || !v.trim()) throw new ControlError(400, `missing '${key}'`);
  return v.trim();
}
