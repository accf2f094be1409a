import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Issue 15: the audit trail is append-only. Nothing in lib/ or app/ updates or deletes an audit event —
 * through the Prisma client or raw SQL — except the retention job, which only blanks addresses and user
 * agents after 90 days (lib/audit/retention.ts).
 */
const ROOT = path.resolve(import.meta.dirname, "../..");
const ALLOWED = new Set(["lib/audit/retention.ts"]);
const WRITES = [
  /auditEvent\s*\.\s*(update|updateMany|updateManyAndReturn|upsert|delete|deleteMany)\b/,
  /\b(UPDATE|DELETE\s+FROM)\s+"?AuditEvent"?/i,
  /\bTRUNCATE\b[^;]*"?AuditEvent"?/i,
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (name === "node_modules" || name === "generated" || name.startsWith(".")) return [];
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx|mjs|js)$/.test(name) && !/\.test\.tsx?$/.test(name) ? [full] : [];
  });
}

describe("the audit trail is append-only", () => {
  const files = ["lib", "app"].flatMap((d) => sourceFiles(path.join(ROOT, d)));

  it("has no update or delete path in lib/ or app/ but the retention job", () => {
    const offenders = files
      .map((f) => path.relative(ROOT, f).split(path.sep).join("/"))
      .filter((rel) => !ALLOWED.has(rel))
      .filter((rel) => WRITES.some((w) => w.test(readFileSync(path.join(ROOT, rel), "utf8"))));
    expect(offenders).toEqual([]);
  });

  it("the check sees what it looks for (the retention job does update events)", () => {
    const retention = readFileSync(path.join(ROOT, "lib/audit/retention.ts"), "utf8");
    expect(WRITES.some((w) => w.test(retention))).toBe(true);
    expect(files.length).toBeGreaterThan(100);
  });
});
