import "server-only";
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { nextCookies } from "better-auth/next-js";
import { db } from "@/lib/db/client";
import { databaseKind, databaseUrl } from "@/lib/db/database-url";
import { derivedKey } from "@/lib/crypto/encryption-key";
import { CLIENT_IP_HEADER } from "@/lib/auth/client-ip";
import { trustedOrigins } from "@/lib/auth/trusted-origins";

export const auth = betterAuth({
  appName: "Mail Connect",
  // One secret to manage: the session secret is derived from the encryption key (APP_ENCRYPTION_KEY
  // or the key file in DATA_DIR), unless BETTER_AUTH_SECRET is given explicitly.
  secret: process.env.BETTER_AUTH_SECRET || derivedKey("better-auth").toString("base64"),
  // The origin comes from each request (admins may reach the server as localhost, by IP or through the
  // Server Base URL); only same-origin and trusted origins may change anything (see trustedOrigins).
  baseURL: { allowedHosts: ["*"], protocol: "https" },
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
  plugins: [nextCookies()],
});

export type AdminSession = typeof auth.$Infer.Session;
