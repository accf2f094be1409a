import "server-only";
import { randomUUID } from "node:crypto";
import { redirect } from "next/navigation";
import type { z } from "zod";
import { currentAdmin, type Admin } from "@/lib/auth/session";
import type { ActionResult } from "@/lib/auth/action-result";
import { StaleSettingsError } from "@/lib/settings/concurrency";
import { trustedOrigins } from "@/lib/auth/trusted-origins";
import { DATABASE_UNAVAILABLE, DatabaseUnavailableError, isDatabaseUnavailable } from "@/lib/db/availability";

/**
 * The one guard. Pages call `requireAdminPage`; server actions are built with `adminAction`; route
 * handlers with `adminRoute`. Each checks the admin session first and parses input with the form's
 * zod schema, so no caller repeats that logic or trusts the browser.
 */
export async function requireAdminPage(returnTo?: string): Promise<Admin> {
  let admin: Admin | null;
  try {
    admin = await currentAdmin();
  } catch (error) {
    // The page's error boundary (app/error.tsx) says "database unavailable" (it asks /api/health).
    if (await isDatabaseUnavailable(error)) throw new DatabaseUnavailableError();
    throw error;
  }
  if (!admin) redirect(returnTo ? `/sign-in?next=${encodeURIComponent(returnTo)}` : "/sign-in");
  return admin;
}

export function fieldErrorsOf(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "_form";
    out[key] ??= issue.message;
  }
  return out;
}

/** Logs an unexpected failure under a reference the admin can quote; never logs inputs. */
function unexpected(error: unknown, where: string): { ok: false; error: string } {
  const ref = randomUUID().slice(0, 8);
  console.error(
    `[${where}] unexpected error (ref ${ref}):`,
    error instanceof Error ? `${error.name}: ${error.message}` : String(error),
  );
  return {
    ok: false,
    error: `Something went wrong (reference ${ref}). Nothing was changed. The server log has the details.`,
  };
}

/** An unexpected failure, or "database unavailable" when that is the cause (logged without a stack). */
export async function failure(error: unknown, where: string): Promise<{ ok: false; error: string; status: number }> {
  if (await isDatabaseUnavailable(error)) {
    console.error(
      `[${where}] database unavailable:`,
      error instanceof Error ? error.message.split("\n")[0] : String(error),
    );
    return { ok: false, error: DATABASE_UNAVAILABLE, status: 503 };
  }
  return { ...unexpected(error, where), status: 500 };
}

export function adminAction<S extends z.ZodType, R>(
  name: string,
  schema: S,
  handler: (input: z.output<S>, admin: Admin) => Promise<ActionResult<R>>,
): (input: unknown) => Promise<ActionResult<R>> {
  return async (input: unknown) => {
    let admin: Admin | null;
    try {
      admin = await currentAdmin();
    } catch (error) {
      const { ok, error: message } = await failure(error, name);
      return { ok, error: message };
    }
    if (!admin) return { ok: false, error: "Your session has ended. Sign in again." };
    const parsed = schema.safeParse(input);
    if (!parsed.success) {
      return { ok: false, error: "Some fields need attention.", fieldErrors: fieldErrorsOf(parsed.error) };
    }
    try {
      return await handler(parsed.data, admin);
    } catch (error) {
      if (error instanceof StaleSettingsError) return { ok: false, error: error.message };
      const { ok, error: message } = await failure(error, name);
      return { ok, error: message };
    }
  };
}

export function adminRoute<C = unknown>(
  name: string,
  handler: (request: Request, admin: Admin, context: C) => Promise<Response>,
): (request: Request, context: C) => Promise<Response> {
  return async (request: Request, context: C) => {
    try {
      if (!(await sameOriginOrSafe(request))) {
        return Response.json({ error: "This request came from another site and was refused." }, { status: 403 });
      }
      const admin = await currentAdmin(request.headers);
      if (!admin) return Response.json({ error: "Sign in as an administrator first." }, { status: 401 });
      return await handler(request, admin, context);
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
  return (await trustedOrigins(request)).includes(origin);
}
