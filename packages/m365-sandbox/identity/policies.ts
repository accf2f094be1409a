import type { SandboxContext } from "../context";
import type { ResourceKind } from "../scopes";
import type { AppRecord, UserRecord } from "../store";
import { AADSTS, type AadError } from "./errors";

/**
 * Conditional Access, as the token and authorize endpoints meet it: a policy that blocks token
 * issuance (AADSTS53003), one that requires multi-factor authentication (AADSTS50076) or its
 * registration (AADSTS50079) from a given moment, and a sign-in frequency (AADSTS70043: the refresh
 * token of a sign-in older than the frequency is refused). A new interactive sign-in satisfies MFA
 * and the frequency (the sandbox asks for no second factor: the sign-in page stands for it); a
 * block stays until lifted. Also the switch of an app registration's service principal being
 * disabled (AADSTS7000112).
 */

export interface ConditionalAccessPolicy {
  /** Ids of the users the policy applies to; null = every user. */
  userIds: string[] | null;
  block: boolean;
  /** Sign-ins before `since` (seconds since the epoch) are refused with `code`. */
  mfa: { code: 50076 | 50079; since: number } | null;
  signInFrequencySeconds: number | null;
}

/** Well-known application ids of the resources, as Microsoft names them in AADSTS50076/50079. */
const RESOURCE_APP_IDS: Record<ResourceKind, string> = {
  outlook: "00000002-0000-0ff1-ce00-000000000000",
  graph: "00000003-0000-0000-c000-000000000000",
};

/** `2023-06-02T14:27:05.8405153Z`: Microsoft's seven-digit fraction. */
function msTimestamp(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, ".$10000Z");
}

/**
 * The policy's answer for a token request of `user` whose sign-in happened at `authTime` (seconds),
 * for a refresh token issued at `issuedAt`; null when it lets the request through.
 */
export function conditionalAccessError(
  ctx: SandboxContext,
  user: UserRecord,
  grant: { authTime: number; issuedAt: string; resource: ResourceKind | null },
): AadError | null {
  const policy = ctx.conditionalAccess;
  if (!policy || (policy.userIds && !policy.userIds.includes(user.id))) return null;
  if (policy.block) return AADSTS.blockedByConditionalAccess();
  const resource = RESOURCE_APP_IDS[grant.resource ?? "graph"];
  if (policy.mfa && grant.authTime < policy.mfa.since)
    return policy.mfa.code === 50076 ? AADSTS.mfaRequired(resource) : AADSTS.mfaRegistrationRequired(resource);
  const now = Math.floor(Date.now() / 1000);
  if (policy.signInFrequencySeconds !== null && now - grant.authTime > policy.signInFrequencySeconds)
    return AADSTS.signInFrequency(msTimestamp(new Date(grant.issuedAt)), policy.signInFrequencySeconds);
  return null;
}

/** An app whose service principal is disabled (by an administrator, or by Microsoft) gets AADSTS7000112. */
export function applicationDisabledError(app: AppRecord): AadError | null {
  return app.disabled ? AADSTS.applicationDisabled(app.clientId, app.displayName) : null;
}
