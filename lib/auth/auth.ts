import "server-only";
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { nextCookies } from "better-auth/next-js";
import { twoFactor } from "better-auth/plugins";
import { db } from "@/lib/db/client";
import { databaseKind, databaseUrl } from "@/lib/db/database-url";
import { appSecret } from "@/lib/crypto/auth-secrets";
import { CLIENT_IP_HEADER } from "@/lib/auth/client-ip";
import { trustedOrigins } from "@/lib/auth/trusted-origins";
import { serverPort } from "@/lib/http/origins";
import { recordSignIn } from "@/lib/admins/sign-in-record";
import { signInAudit } from "@/lib/auth/sign-in-plugin";
import { recordAudit } from "@/lib/audit/audit-log";
import { requestFacts } from "@/lib/audit/request-facts";
import { normalisedEmail } from "@/lib/auth/sign-in-backoff";
import { ABSOLUTE_LIFETIME_MS } from "@/lib/auth/session-limits";
import { logger } from "@/lib/log/logger";

const log = logger("sign-in");

/**
 * The auth API paths the product uses (the sign-in form and its two-factor step, sign-out, the session
 * read); all others answer 404. Two-factor enrolment and disabling go through `auth.api` in server actions.
 */
const USED_PATHS = new Set([
  "/sign-in/email",
  "/two-factor/verify-totp",
  "/two-factor/verify-backup-code",
  "/sign-out",
  "/get-session",
]);
const BASE_PATH = "/api/auth";

function build(secret: string) {
  return betterAuth({
    appName: "Mail Connect",
    // One secret to manage: the session secret is kept sealed with the encryption key in the database
    // (lib/crypto/auth-secrets.ts; a key rotation keeps it), unless BETTER_AUTH_SECRET is given explicitly.
    secret,
    // A fixed base URL: nothing the product does builds a link from it (no e-mail links, no callbacks), and
    // a request's Host never widens what is trusted. Who may change anything: trustedOrigins (exact list).
    baseURL: `https://localhost:${serverPort()}`,
    basePath: BASE_PATH,
    database: prismaAdapter(db, { provider: databaseKind(databaseUrl()) === "postgresql" ? "postgresql" : "sqlite" }),
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: 12, maxPasswordLength: 128 },
    // The absolute lifetime (12 h) is the cookie's and the row's expiry, never extended; the idle timeout and
    // the absolute limit are also checked by the guard on every request (lib/auth/session-limits.ts).
    // The guard's columns come with the session it reads (no second read per request): when the session
    // was last active (the idle timeout) and whether the admin must first change their password. Neither is
    // ever taken from a client (`input: false`).
    session: {
      expiresIn: ABSOLUTE_LIFETIME_MS / 1000,
      disableSessionRefresh: true,
      additionalFields: { lastActiveAt: { type: "date", required: false, input: false } },
    },
    user: { additionalFields: { mustChangePassword: { type: "boolean", required: false, input: false } } },
    // Throttle sign-in attempts in every environment, shared by all instances through the database.
    rateLimit: {
      enabled: true,
      storage: "database",
      window: 60,
      max: 100,
      customRules: { "/sign-in/email": { window: 60, max: Number(process.env.SIGN_IN_ATTEMPTS_PER_MINUTE || 5) } },
    },
    trustedOrigins,
    advanced: {
      useSecureCookies: true,
      ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] },
    },
    telemetry: { enabled: false },
    // A new session is a sign-in: the Administrators page shows when each admin last signed in.
    databaseHooks: { session: { create: { after: async (session) => recordSignIn(session.userId) } } },
    plugins: [
      // TOTP (an authenticator app) and ten single-use backup codes, both stored encrypted by the library.
      twoFactor({ issuer: "Mail Connect", backupCodeOptions: { amount: 10 } }),
      signInAudit(), // after twoFactor: it sees whether a second factor is still due
      nextCookies(), // last
    ],
  });
}
type Library = ReturnType<typeof build>;

// Built on first use: the session secret is read from the database (asynchronously), and a failed read
// (database not reachable yet) is tried again on the next call. Per module instance, not on globalThis:
// Next.js bundles the library more than once (server actions, route handlers), and each copy's errors
// must be its own copy's APIError for the `instanceof` checks of its callers.
let built: Promise<Library> | undefined;
function library(): Promise<Library> {
  if (!built) {
    const pending = (async () =>
      build(process.env.BETTER_AUTH_SECRET || (await appSecret("better-auth")).toString("base64")))();
    built = pending;
    pending.catch(() => {
      if (built === pending) built = undefined;
    });
  }
  return built;
}

/** As after a restart: the next call builds the library again, reading the stored secret (key rotation tests). */
export function forgetAuthLibrary(): void {
  built = undefined;
}

/** `auth.api.<endpoint>(…)`: every endpoint is async, so each waits for the library first. */
const api = new Proxy({} as Library["api"], {
  get:
    (_target, name) =>
    async (...args: unknown[]) => {
      const endpoint = (await library()).api[name as keyof Library["api"]] as (...a: unknown[]) => Promise<unknown>;
      return endpoint(...args);
    },
});

/**
 * The library, with its HTTP handler limited to the endpoints the product uses: password reset, e-mail
 * verification, update-user, change-email, delete-user, sign-up and the rest are not reachable over HTTP.
 */
const libraryHandler = async (request: Request): Promise<Response> => (await library()).handler(request);
export const auth = {
  api,
  get $context(): Library["$context"] {
    return library().then((l) => l.$context) as Library["$context"];
  },
  /** Types only (`typeof auth.$Infer.Session`). */
  $Infer: undefined as unknown as Library["$Infer"],
  handler: (request: Request): Promise<Response> => {
    const path = new URL(request.url).pathname.slice(BASE_PATH.length);
    if (!USED_PATHS.has(path)) return Promise.resolve(Response.json({ error: "Not found." }, { status: 404 }));
    if (path !== "/sign-in/email") return libraryHandler(request);
    return auditedThrottle(request, libraryHandler);
  },
};

/** The per-address limit answers 429 before any hook runs: audited here, with the e-mail it was for. */
async function auditedThrottle(request: Request, handle: (r: Request) => Promise<Response>): Promise<Response> {
  const copy = request.clone();
  const response = await handle(request);
  if (response.status !== 429) return response;
  const body = (await copy.json().catch(() => null)) as { email?: unknown } | null;
  const email = normalisedEmail(body?.email);
  const facts = requestFacts(request.headers);
  log.warn({ email, address: facts.address }, "sign-in refused (too many attempts from this address)");
  await recordAudit(null, {
    action: "auth.sign_in_throttled",
    target: email || undefined,
    details: { ...facts, reason: "too many attempts from this address" },
  });
  return response;
}

export type AdminSession = typeof auth.$Infer.Session;
