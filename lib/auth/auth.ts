import "server-only";
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { nextCookies } from "better-auth/next-js";
import { db } from "@/lib/db/client";
import { databaseKind, databaseUrl } from "@/lib/db/database-url";
import { derivedKey } from "@/lib/crypto/encryption-key";
import { CLIENT_IP_HEADER } from "@/lib/auth/client-ip";
import { trustedOrigins } from "@/lib/auth/trusted-origins";
import { serverPort } from "@/lib/http/origins";
import { recordSignIn } from "@/lib/admins/sign-in-record";

/** The auth API paths the product uses (the sign-in form, sign-out, the session read); all others answer 404. */
const USED_PATHS = new Set(["/sign-in/email", "/sign-out", "/get-session"]);
const BASE_PATH = "/api/auth";

const library = betterAuth({
  appName: "Mail Connect",
  // One secret to manage: the session secret is derived from the encryption key (APP_ENCRYPTION_KEY
  // or the key file in DATA_DIR), unless BETTER_AUTH_SECRET is given explicitly.
  secret: process.env.BETTER_AUTH_SECRET || derivedKey("better-auth").toString("base64"),
  // A fixed base URL: nothing the product does builds a link from it (no e-mail links, no callbacks), and
  // a request's Host never widens what is trusted. Who may change anything: trustedOrigins (exact list).
  baseURL: `https://localhost:${serverPort()}`,
  basePath: BASE_PATH,
  database: prismaAdapter(db, { provider: databaseKind(databaseUrl()) === "postgresql" ? "postgresql" : "sqlite" }),
  emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: 12, maxPasswordLength: 128 },
  session: { expiresIn: 60 * 60 * 12, updateAge: 60 * 60 },
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
  plugins: [nextCookies()],
});

/**
 * The library, with its HTTP handler limited to the endpoints the product uses: password reset, e-mail
 * verification, update-user, change-email, delete-user, sign-up and the rest are not reachable over HTTP.
 */
const libraryHandler = library.handler;
export const auth = Object.assign(library, {
  handler: (request: Request): Promise<Response> => {
    const path = new URL(request.url).pathname.slice(BASE_PATH.length);
    if (!USED_PATHS.has(path)) return Promise.resolve(Response.json({ error: "Not found." }, { status: 404 }));
    return libraryHandler(request);
  },
});

export type AdminSession = typeof auth.$Infer.Session;
