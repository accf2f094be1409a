import "server-only";
import { randomUUID } from "node:crypto";
import { headers } from "next/headers";
import { redirect, unstable_rethrow } from "next/navigation";
import type { z } from "zod";
import { currentSession, type Admin } from "@/lib/auth/session";
import { SESSION_END_MESSAGES } from "@/lib/auth/session-limits";
import { isStepPage, pendingFirstStep } from "@/lib/auth/first-steps";
import type { ActionResult } from "@/lib/auth/client-safe/action-result";
import { requestInput } from "@/lib/auth/request-input";
import { safeReturnPath } from "@/lib/auth/return-path";
import { trustedOrigins } from "@/lib/auth/trusted-origins";
import { REQUEST_PATH_HEADER } from "@/lib/http/request-path";
import { ExpectedError } from "@/lib/errors/expected-error";
import { DATABASE_UNAVAILABLE, DatabaseUnavailableError, isDatabaseUnavailable } from "@/lib/db/availability";
import { errorText, logger } from "@/lib/log/logger";

const log = logger("request");

/**
 * The one guard. Pages call `requireAdminPage`; server actions are built with `adminAction` (or
 * `publicAction` for first-run setup); route handlers with `adminRoute`. Each checks the admin
 * session first and parses input with a zod schema, so no caller repeats that logic or trusts the browser.
 */
/**
 * The signed-in admin, or a redirect to sign-in that returns to `returnTo` (default: the requested page)
 * and says why when the session just ended; an admin who must set up two-factor is sent to its page.
 */
export async function requireAdminPage(returnTo?: string): Promise<Admin> {
  let state: Awaited<ReturnType<typeof currentSession>>;
  try {
    state = await currentSession();
  } catch (error) {
    // The page's error boundary (app/error.tsx) says "database unavailable" (it asks /api/health).
    if (await isDatabaseUnavailable(error)) throw new DatabaseUnavailableError();
    throw error;
  }
  // The page asked for (a layout does not know it: the HTTPS server passes the request's path).
  const asked = returnTo ?? (await headers()).get(REQUEST_PATH_HEADER);
  if (!state.admin) {
    const ended = state.ended ? `&ended=${state.ended}` : "";
    redirect(`/sign-in?next=${encodeURIComponent(safeReturnPath(asked))}${ended}`);
  }
  const step = await pendingFirstStep(state.admin);
  if (step && !isStepPage(step, asked)) redirect(step.page);
  return state.admin;
}

/** What an action or route answers when there is no session (and why, when it just ended). */
function signedOutMessage(ended: keyof typeof SESSION_END_MESSAGES | null, fallback: string): string {
  return ended ? SESSION_END_MESSAGES[ended] : fallback;
}

const NEEDS_ATTENTION = "Some fields need attention.";

function fieldErrorsOf(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "_form";
    out[key] ??= issue.message;
  }
  return out;
}

// Keys that reach an object's prototype when copied naively (`Object.assign`, a spread into a
// class, a form library's `set(obj, name, …)`): refused in every action's and route's input, before
// its schema (a strict schema can still let `{"__proto__": {}}` through: it is not an own key to zod).
const PROTOTYPE_KEYS = new Set(["__proto__", "constructor", "prototype"]);
const MAX_INPUT_DEPTH = 32;

/** Why an input is refused before its schema (a prototype key, or nesting too deep), or null. */
function refusedInput(value: unknown, depth = 0): string | null {
  if (depth > MAX_INPUT_DEPTH) return "The input is nested too deeply.";
  if (typeof value !== "object" || value === null) return null;
  for (const key of Object.keys(value)) {
    if (PROTOTYPE_KEYS.has(key)) return `"${key}" is not an accepted field name.`;
    const inner = refusedInput((value as Record<string, unknown>)[key], depth + 1);
    if (inner) return inner;
  }
  return null;
}

/** The input's refusal as field errors (under `_form`: a prototype key is never a form field name). */
function refusal(input: unknown): Record<string, string> | null {
  const why = refusedInput(input);
  return why ? { _form: why } : null;
}

/** Logs an unexpected failure under a reference the admin can quote; never logs inputs. */
function unexpected(error: unknown, where: string): { ok: false; error: string } {
  const ref = randomUUID().slice(0, 8);
  log.error(
    { where, ref, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) },
    "unexpected error",
  );
  return {
    ok: false,
    error: `Something went wrong (reference ${ref}). Nothing was changed. The server log has the details.`,
  };
}

/** An unexpected failure, or "database unavailable" when that is the cause (logged without a stack). */
async function failure(error: unknown, where: string): Promise<{ ok: false; error: string; status: number }> {
  if (await isDatabaseUnavailable(error)) {
    log.error({ where, error: errorText(error).split("\n")[0] }, "database unavailable");
    return { ok: false, error: DATABASE_UNAVAILABLE, status: 503 };
  }
  return { ...unexpected(error, where), status: 500 };
}

/** A thrown error as an action's answer: an expected error says its message, anything else a reference. */
async function failedAction(error: unknown, name: string): Promise<ActionResult<never>> {
  unstable_rethrow(error); // redirect() and notFound() are Next.js's control flow, not failures
  if (error instanceof ExpectedError) return { ok: false, error: error.message };
  const { ok, error: message } = await failure(error, name);
  return { ok, error: message };
}

type ActionHandler<S extends z.ZodType, R, C> = (input: z.output<S>, context: C) => Promise<ActionResult<R>>;

/**
 * The action pipeline: who is calling (`caller` answers the handler's context, or a refusal), then the
 * input parsed with the form's schema, then the handler; what it throws becomes a result, never a 500.
 */
function defineAction<C>(caller: (name: string) => Promise<{ ok: true; context: C } | { ok: false; error: string }>) {
  return <S extends z.ZodType, R>(name: string, schema: S, handler: ActionHandler<S, R, C>) =>
    async (input: z.input<S>): Promise<ActionResult<R>> => {
      let who: Awaited<ReturnType<typeof caller>>;
      try {
        who = await caller(name);
      } catch (error) {
        return failedAction(error, name);
      }
      if (!who.ok) return { ok: false, error: who.error };
      const refused = refusal(input);
      if (refused) return { ok: false, error: NEEDS_ATTENTION, fieldErrors: refused };
      const parsed = schema.safeParse(input);
      if (!parsed.success) return { ok: false, error: NEEDS_ATTENTION, fieldErrors: fieldErrorsOf(parsed.error) };
      try {
        return await handler(parsed.data, who.context);
      } catch (error) {
        return failedAction(error, name);
      }
    };
}

/** A server action for the signed-in administrator: `adminAction(name, schema, async (input, admin) => result)`. */
export const adminAction = defineAction<Admin>(async (name) => {
  const { admin, ended } = await currentSession();
  if (!admin) return { ok: false, error: signedOutMessage(ended, "Your session has ended. Sign in again.") };
  const step = await pendingFirstStep(admin);
  if (step && !step.allowedActions.has(name)) return { ok: false, error: step.refusal };
  return { ok: true, context: admin };
});

/** A server action anyone may call (first-run setup, which its own one-time code protects). */
export const publicAction = defineAction<void>(async () => ({ ok: true, context: undefined }));

type RouteOptions = {
  /** The answer to input the schema refuses (default: 400 with the field errors as JSON). */
  invalid?: (error: z.ZodError) => Response;
};

/**
 * A route handler for the signed-in administrator: same-origin check, session, then the query (GET)
 * or form (POST) parsed with `schema`; what the handler throws becomes a JSON 500/503 with a reference.
 */
export function adminRoute<S extends z.ZodType>(
  name: string,
  schema: S,
  handler: (input: z.output<S>, admin: Admin, request: Request) => Promise<Response>,
  options: RouteOptions = {},
): (request: Request) => Promise<Response> {
  return async (request: Request) => {
    try {
      if (!(await sameOriginOrSafe(request))) {
        return Response.json({ error: "This request came from another site and was refused." }, { status: 403 });
      }
      const { admin, ended } = await currentSession(request.headers);
      if (!admin) {
        return Response.json({ error: signedOutMessage(ended, "Sign in as an administrator first.") }, { status: 401 });
      }
      const step = await pendingFirstStep(admin);
      if (step && !step.allowedActions.has(name)) return Response.json({ error: step.refusal }, { status: 403 });
      const input = await requestInput(request);
      const refused = refusal(input);
      if (refused) return Response.json({ error: NEEDS_ATTENTION, fieldErrors: refused }, { status: 400 });
      const parsed = schema.safeParse(input);
      if (!parsed.success) {
        return (
          options.invalid?.(parsed.error) ??
          Response.json({ error: NEEDS_ATTENTION, fieldErrors: fieldErrorsOf(parsed.error) }, { status: 400 })
        );
      }
      return await handler(parsed.data, admin, request);
    } catch (error) {
      const { status, ...body } = await failure(error, name);
      return Response.json(body, { status });
    }
  };
}

/**
 * CSRF defence for route handlers (server actions get Next.js's own Origin check): a request that
 * changes something must carry an Origin this server trusts. SameSite=Lax cookies already keep
 * cross-site POSTs signed out; this also refuses same-site (sibling sub-domain) forgeries.
 */
async function sameOriginOrSafe(request: Request): Promise<boolean> {
  if (request.method === "GET" || request.method === "HEAD") return true;
  const origin = request.headers.get("origin");
  if (!origin) return false;
  return (await trustedOrigins()).includes(origin);
}
