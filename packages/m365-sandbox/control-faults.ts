import type {
  GraphFaultMode,
  IdTokenClaimOverrides,
  SandboxContext,
  SmtpFaultMode,
  TokenEndpointFaultMode,
} from "./context";

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
const GRAPH_MODES: GraphFaultMode[] = ["none", "throttled", "unavailable"];
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
    case "PUT graph-fault": {
      const mode = body.mode as GraphFaultMode;
      if (!GRAPH_MODES.includes(mode)) throw new ControlError(400, `mode must be one of ${GRAPH_MODES.join(", ")}`);
      const count = body.count;
      if (count !== undefined && (typeof count !== "number" || !Number.isInteger(count) || count < 1))
        throw new ControlError(400, "'count' must be a positive integer");
      const retry = body.retryAfterSeconds;
      if (retry !== undefined && (typeof retry !== "number" || !Number.isInteger(retry) || retry < 0))
        throw new ControlError(400, "'retryAfterSeconds' must be a non-negative integer");
      ctx.graphFault = {
        mode,
        remaining: mode === "none" ? null : ((count as number | undefined) ?? null),
        retryAfterSeconds: (retry as number | undefined) ?? 1,
      };
      return ctx.graphFault;
    }
    case "GET graph-calls":
      return ctx.graphCalls;
    case "DELETE graph-calls":
      ctx.graphCalls = [];
      return { ok: true };
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
