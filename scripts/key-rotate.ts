/**
 * npm run key:rotate [-- --status]
 * Re-encrypts every secret at rest (Email Settings secrets, MSAL token caches, pending PKCE verifiers,
 * the stored session and relay secrets) with the first key of the ring, in one transaction. The ring:
 * APP_ENCRYPTION_KEYS="<new key>,<old key>" or the key file <DATA_DIR>/encryption.key with the new key
 * on the first line and the old one after. Refuses, changing nothing, when a stored secret does not
 * decrypt with the ring. --status: which key ids the stored secrets name, nothing changed.
 * Steps (README "Rotating the encryption key"): new key first in the ring on every instance (restart
 * them), run this once, then remove the old key from the ring and restart again.
 */
import { parseArgs } from "node:util";
import { applyMigrations } from "@/lib/db/migrate";
import { databaseUrl } from "@/lib/db/database-url";

async function main() {
  const { values } = parseArgs({ options: { status: { type: "boolean", default: false } }, strict: true });
  await applyMigrations(databaseUrl());
  const { keyRing } = await import("@/lib/crypto/key-ring");
  const { keyUsage, rotateKeys } = await import("@/lib/crypto/key-rotation");
  const ring = keyRing().map((k) => k.id);
  console.log(`Key ring (new key first): ${ring.join(", ")}`);
  if (!values.status) {
    const report = await rotateKeys();
    for (const c of report.columns)
      console.log(`  ${c.column}: ${c.rotated} re-encrypted, ${c.current} already current`);
    console.log(`Re-encrypted ${report.rotated} secret(s) with key ${report.keyId}.`);
    const { recordAudit } = await import("@/lib/audit/audit-log");
    await recordAudit(null, {
      action: "keys.rotated",
      target: report.keyId,
      details: { rotated: report.rotated, ring: report.ring },
    });
  }
  const usage = await keyUsage();
  const entries = Object.entries(usage);
  console.log(
    entries.length === 0
      ? "No stored secrets."
      : `Stored secrets by key id: ${entries.map(([id, n]) => `${id === "v1" ? "no key id (before the key ring)" : id}: ${n}`).join(", ")}`,
  );
  const stale = entries.filter(([id]) => id !== ring[0]).reduce((n, [, count]) => n + count, 0);
  if (!values.status && stale > 0) {
    console.log(
      `${stale} secret(s) were written meanwhile with another key: an instance still runs without the new key first. Restart it with the new ring and run key:rotate again.`,
    );
    process.exitCode = 2;
  } else if (!values.status && ring.length > 1) {
    console.log("Now remove the old key(s) from the ring and restart every instance. Keep a backup of the new key.");
  }
}

main()
  .then(() => process.exit())
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
