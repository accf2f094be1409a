import "server-only";
import type { BetterAuthPlugin } from "better-auth";
import { APIError, createAuthMiddleware } from "better-auth/api";
import { recordAudit } from "@/lib/audit/audit-log";
import { requestFacts } from "@/lib/audit/request-facts";
import { normalisedEmail } from "@/lib/auth/sign-in-backoff";
import { backoffWait, clearSignInFailures, recordSignInFailure } from "@/lib/auth/sign-in-backoff-store";
import { logger } from "@/lib/log/logger";

const log = logger("sign-in");

const SIGN_IN = "/sign-in/email";
const TWO_FACTOR_PATHS: Record<string, string> = {
  "/two-factor/verify-totp": "authenticator code",
  "/two-factor/verify-backup-code": "backup code",
};
/** The library's answer to a wrong e-mail or password: a wait answers exactly the same (status and body). */
const WRONG_EMAIL_OR_PASSWORD = { code: "INVALID_EMAIL_OR_PASSWORD", message: "Invalid email or password" };

type HookContext = Parameters<Parameters<typeof createAuthMiddleware>[0]>[0];

function emailOf(ctx: HookContext): string {
  return normalisedEmail((ctx.body as { email?: unknown } | undefined)?.email);
}

function isError(value: unknown): value is APIError {
  return value instanceof APIError;
}

/** The account a pending two-factor sign-in belongs to (its signed cookie names a verification row). */
async function pendingTwoFactorUser(ctx: HookContext): Promise<{ id: string; email: string } | null> {
  try {
    const cookie = ctx.context.createAuthCookie("two_factor");
    const identifier = await ctx.getSignedCookie(cookie.name, ctx.context.secret);
    if (!identifier) return null;
    const row = await ctx.context.internalAdapter.findVerificationValue(identifier);
    const user = row ? await ctx.context.internalAdapter.findUserById(row.value) : null;
    return user ? { id: user.id, email: user.email } : null;
  } catch {
    return null;
  }
}

/**
 * Sign-in throttling per account and the sign-in audit trail, as a better-auth plugin (listed after
 * `twoFactor`, so its after-hook sees whether a second factor is still due).
 * - before /sign-in/email: while the e-mail must wait (lib/auth/sign-in-backoff.ts) the attempt is refused
 *   with the answer of a wrong password, after hashing the password as a real check does (same timing),
 *   whether or not an administrator has that e-mail.
 * - after /sign-in/email: a 401 counts a failure for the e-mail; a right password clears them.
 * - after the two-factor steps (HTTP only: the enrolment page's confirmation is audited by its action).
 */
export function signInAudit(): BetterAuthPlugin {
  return {
    id: "mail-connect-sign-in",
    hooks: {
      before: [
        {
          // Every sign-in asks for the second factor: the library's "trust this device for 30 days" is not offered.
          matcher: (ctx) => (ctx.path ?? "") in TWO_FACTOR_PATHS,
          handler: createAuthMiddleware(async (ctx) => {
            if (!(ctx.body as { trustDevice?: unknown } | undefined)?.trustDevice) return;
            return { context: { body: { ...(ctx.body as object), trustDevice: false } } };
          }),
        },
        {
          matcher: (ctx) => ctx.path === SIGN_IN,
          handler: createAuthMiddleware(async (ctx) => {
            const email = emailOf(ctx);
            const wait = await backoffWait(email);
            if (wait === 0) return;
            const password = (ctx.body as { password?: unknown } | undefined)?.password;
            await ctx.context.password.hash(typeof password === "string" ? password : "");
            const facts = requestFacts(ctx.headers);
            log.warn(
              { email, address: facts.address, waitSeconds: Math.ceil(wait / 1000) },
              "sign-in refused (account backoff)",
            );
            await recordAudit(null, {
              action: "auth.sign_in_throttled",
              target: email,
              details: { ...facts, reason: `per-account backoff (${Math.ceil(wait / 1000)} s left)` },
            });
            throw APIError.from("UNAUTHORIZED", WRONG_EMAIL_OR_PASSWORD);
          }),
        },
      ],
      after: [
        {
          matcher: (ctx) => ctx.path === SIGN_IN,
          handler: createAuthMiddleware(async (ctx) => {
            const email = emailOf(ctx);
            const facts = requestFacts(ctx.headers);
            const returned = ctx.context.returned;
            if (isError(returned)) {
              if (returned.statusCode !== 401) return;
              const failures = await recordSignInFailure(email);
              log.warn({ email, address: facts.address, failures }, "sign-in failed (wrong email or password)");
              await recordAudit(null, {
                action: "auth.sign_in_failed",
                target: email,
                details: { ...facts, reason: "wrong email or password", failures },
              });
              return;
            }
            await clearSignInFailures(email);
            const session = ctx.context.newSession;
            if (!session) {
              await recordAudit(null, { action: "auth.two_factor_asked", target: email, details: facts });
              return;
            }
            await recordAudit(
              { id: session.user.id, email: session.user.email },
              { action: "auth.signed_in", target: session.user.email, details: { ...facts, method: "password" } },
            );
          }),
        },
        {
          matcher: (ctx) => Boolean(ctx.request) && (ctx.path ?? "") in TWO_FACTOR_PATHS,
          handler: createAuthMiddleware(async (ctx) => {
            const method = TWO_FACTOR_PATHS[ctx.path ?? ""];
            const facts = requestFacts(ctx.headers);
            const returned = ctx.context.returned;
            if (isError(returned)) {
              const user = await pendingTwoFactorUser(ctx);
              log.warn(
                { method, email: user?.email ?? "an expired sign-in", address: facts.address },
                "two-factor code refused",
              );
              await recordAudit(user, {
                action: "auth.two_factor_failed",
                target: user?.email,
                details: { ...facts, method, reason: String(returned.body?.message ?? returned.message) },
              });
              return;
            }
            const session = ctx.context.newSession;
            const user = session?.user ?? (returned as { user?: { id: string; email: string } } | undefined)?.user;
            if (!user) return;
            await recordAudit(
              { id: user.id, email: user.email },
              { action: "auth.signed_in", target: user.email, details: { ...facts, method: `password and ${method}` } },
            );
          }),
        },
      ],
    },
  };
}
