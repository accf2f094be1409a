/**
 * npm run admin:create -- --email you@example.com [--name "Your Name"] [--reset]
 * Creates an administrator (or, with --reset, sets a new password for an existing one, ends their sessions
 * and clears their two-factor sign-in, so a lost phone never locks an administrator out). The password
 * is read from ADMIN_PASSWORD or standard input, never from the command line (where `ps` shows it).
 * Works on an empty DATA_DIR: it creates it and applies migrations first.
 */
import { parseArgs } from "node:util";
import { createInterface } from "node:readline";
import { z } from "zod";
import { applyMigrations } from "@/lib/db/migrate";
import { databaseUrl } from "@/lib/db/database-url";
import { adminAccountFields } from "@/lib/auth/client-safe/admin-schema";
import { passwordProblem } from "@/lib/auth/password-strength";

async function readPassword(): Promise<string> {
  if (process.env.ADMIN_PASSWORD) return process.env.ADMIN_PASSWORD;
  if (process.stdin.isTTY)
    process.stderr.write("Password (input hidden is not supported here; pipe it or set ADMIN_PASSWORD): ");
  const rl = createInterface({ input: process.stdin, terminal: false });
  for await (const line of rl) {
    rl.close();
    return line;
  }
  return "";
}

async function main() {
  const { values } = parseArgs({
    options: {
      email: { type: "string" },
      name: { type: "string" },
      reset: { type: "boolean", default: false },
      password: { type: "string" },
    },
    strict: true,
  });
  if (values.password !== undefined) {
    throw new Error(
      "--password is not accepted (other users can read command lines). Use ADMIN_PASSWORD or standard input.",
    );
  }
  const schema = z.object(adminAccountFields);
  const parsed = schema.safeParse({
    email: values.email ?? "",
    name: values.name ?? values.email?.split("@")[0] ?? "",
    password: await readPassword(),
  });
  if (!parsed.success) {
    throw new Error(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("\n"));
  }
  const weak = passwordProblem(parsed.data.password, [parsed.data.email, parsed.data.name]);
  if (weak) throw new Error(`password: ${weak}`);
  await applyMigrations(databaseUrl());
  const { createAdmin, resetAdminPassword } = await import("@/lib/auth/admin-accounts");
  const { recordAudit } = await import("@/lib/audit/audit-log");
  if (values.reset) {
    await resetAdminPassword(parsed.data.email, parsed.data.password);
    await recordAudit(null, {
      action: "admin.password_reset",
      target: parsed.data.email,
      details: { via: "admin:create --reset" },
    });
    const { clearTwoFactor } = await import("@/lib/auth/two-factor-reset");
    const hadTwoFactor = await clearTwoFactor(parsed.data.email);
    if (hadTwoFactor) {
      await recordAudit(null, {
        action: "admin.two_factor_cleared",
        target: parsed.data.email,
        details: { via: "admin:create --reset" },
      });
    }
    console.log(
      `Password reset for ${parsed.data.email}; their sessions were ended${hadTwoFactor ? " and their two-factor sign-in was cleared (they can set it up again)" : ""}.`,
    );
  } else {
    const admin = await createAdmin(parsed.data);
    await recordAudit(null, { action: "admin.created", target: admin.email, details: { via: "admin:create" } });
    console.log(`Administrator ${admin.email} created.`);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`admin:create: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
