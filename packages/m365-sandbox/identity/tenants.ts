import type { SandboxContext } from "../context";
import type { TenantRecord } from "../store";

/** The tenant part of a path: a tenant GUID, one of its verified domains, `common` or `organizations`. */
export type TenantRef =
  | { kind: "tenant"; segment: string; tenant: TenantRecord }
  | { kind: "multi"; segment: "common" | "organizations" }
  | { kind: "unknown"; segment: string };

export function resolveTenant(ctx: SandboxContext, segment: string): TenantRef {
  const lower = segment.toLowerCase();
  if (lower === "common" || lower === "organizations") return { kind: "multi", segment: lower };
  const tenant = ctx.store.tenantByIdOrDomain(segment);
  return tenant ? { kind: "tenant", segment, tenant } : { kind: "unknown", segment };
}

/** Display name used in messages (Microsoft names the directory by what was asked). */
export function tenantLabel(ref: TenantRef): string {
  return ref.kind === "tenant" ? ref.tenant.displayName : ref.segment;
}
