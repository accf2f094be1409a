import type { IdTokenClaimOverrides, SandboxContext, SmtpFaultMode, TokenEndpointFaultMode } from "./context";

/**
 * Control routes that make the identity platform misbehave (token-endpoint faults) or issue ID
 * tokens with other claims (another tenant's `tid`, a foreign `email`): the failures Mail Connect
 * must name and the identity checks it must make.
 */

export class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const MODES: TokenEndpointFaultMode[] = ["none", "error500", "hang", "delay", "reset", "html", "truncated"];
const SMTP_MODES: SmtpFaultMode[] = ["none", "unavailable", "busy", "throttled", "refused"];
const CLAIMS = ["tid", "email", "preferred_username"] as const;

/** Answers a fault route; undefined when the route is not one of these. */
export function faultRoute(ctx: SandboxContext, route: string, body: Record<string, unknown>): unknown {
  switch (route) {
    case "PUT token-endpoint": {
      const mode = body.mode as TokenEndpointFaultMode;
      if (!MODES.includes(mode)) throw new ControlError(400, `mode must be one of ${MODES.join(", ")}`);
      const count = body.count;
      if (count !== undefined && (typeof count !== "number" || !Number.isInteger(count) || count < 1))
        throw new ControlError(400, "'count' must be a positive integer");
      const delayMs = body.delayMs;
      if (mode === "delay" && (typeof delayMs !== "number" || !Number.isFinite(delayMs) || delayMs < 0))
        throw new ControlError(400, "mode 'delay' needs 'delayMs' (a non-negative number)");
      ctx.tokenFault = {
        mode,
        remaining: mode === "none" ? null : ((count as number | undefined) ?? null),
        ...(mode === "delay" ? { delayMs: delayMs as number } : {}),
      };
      if (mode === "none") {
        for (const res of ctx.hanging) res.destroy();
        ctx.hanging.clear();
      }
      return ctx.tokenFault;
    }
    case "PUT smtp-fault": {
      const mode = body.mode as SmtpFaultMode;
      if (!SMTP_MODES.includes(mode)) throw new ControlError(400, `mode must be one of ${SMTP_MODES.join(", ")}`);
      const count = body.count;
      if (count !== undefined && (typeof count !== "number" || !Number.isInteger(count) || count < 1))
        throw new ControlError(400, "'count' must be a positive integer");
      ctx.smtpFault = { mode, remaining: mode === "none" ? null : ((count as number | undefined) ?? null) };
      return ctx.smtpFault;
    }
    case "GET smtp-sessions":
      return { sessions: ctx.smtpSessions };
    case "PUT id-token-claims": {
      const claims: IdTokenClaimOverrides = {};
      for (const [key, value] of Object.entries(body)) {
        if (!(CLAIMS as readonly string[]).includes(key))
          throw new ControlError(400, `only ${CLAIMS.join(", ")} can be overridden`);
        if (typeof value !== "string") throw new ControlError(400, `'${key}' must be a string`);
        claims[key as (typeof CLAIMS)[number]] = value;
      }
      ctx.idTokenClaims = Object.keys(claims).length ? claims : null;
      return { claims: ctx.idTokenClaims };
    }
    default:
      return undefined;
  }
}
