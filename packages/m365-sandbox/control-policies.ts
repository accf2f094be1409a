import type { SandboxContext } from "./context";
import { ControlError } from "./control-faults";
import type { ConditionalAccessPolicy } from "./identity/policies";

/**
 * Control routes for Conditional Access (identity/policies.ts) and for disabling an app's service
 * principal: what makes the identity platform answer AADSTS53003, 50076, 50079, 70043 and 7000112.
 */

const MFA_CODES = [50076, 50079] as const;

/** Answers a policy route; undefined when the route is not one of these. */
export async function policyRoute(
  ctx: SandboxContext,
  route: string,
  b: string | undefined,
  body: Record<string, unknown>,
): Promise<unknown> {
  switch (route) {
    case "PUT conditional-access": {
      if (Object.keys(body).length === 0) {
        ctx.conditionalAccess = null;
        return { policy: null };
      }
      const users = body.users;
      if (users !== undefined && (!Array.isArray(users) || users.some((u) => typeof u !== "string")))
        throw new ControlError(400, "'users' must be an array of sign-in names");
      const userIds = Array.isArray(users)
        ? users.map((upn: string) => {
            const user = ctx.store.userByUpn(upn);
            if (!user) throw new ControlError(404, `user not found: ${upn}`);
            return user.id;
          })
        : null;
      const block = body.block ?? false;
      if (typeof block !== "boolean") throw new ControlError(400, "'block' must be a boolean");
      const requireMfa = body.requireMfa ?? null;
      if (requireMfa !== null && !MFA_CODES.includes(requireMfa as (typeof MFA_CODES)[number]))
        throw new ControlError(400, "'requireMfa' must be 50076, 50079 or null");
      const frequency = body.signInFrequencySeconds ?? null;
      if (frequency !== null && (typeof frequency !== "number" || !Number.isInteger(frequency) || frequency < 1))
        throw new ControlError(400, "'signInFrequencySeconds' must be a positive integer or null");
      let mfa: ConditionalAccessPolicy["mfa"] = null;
      if (requireMfa !== null) {
        // Sign-ins up to now lack MFA; the next whole second on counts as a new (MFA) sign-in.
        const since = Math.floor(Date.now() / 1000) + 1;
        await new Promise((r) => setTimeout(r, since * 1000 - Date.now() + 5));
        mfa = { code: requireMfa as 50076 | 50079, since };
      }
      ctx.conditionalAccess = { userIds, block, mfa, signInFrequencySeconds: frequency as number | null };
      return { policy: ctx.conditionalAccess };
    }
    case "PUT apps/:b/enabled": {
      const app = ctx.store.app(b ?? "");
      if (!app) throw new ControlError(404, `app not found: ${b}`);
      if (typeof body.enabled !== "boolean") throw new ControlError(400, "'enabled' must be a boolean");
      app.disabled = !body.enabled;
      ctx.store.save();
      return { clientId: app.clientId, enabled: body.enabled };
    }
    default:
      return undefined;
  }
}
