import "server-only";
import { createHash, randomInt, timingSafeEqual } from "node:crypto";
import { db } from "@/lib/db/client";

const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"; // no 0/O, 1/I

const hash = (code: string) => createHash("sha256").update(code.replace(/[\s-]/g, "").toUpperCase()).digest();

function newCode(): string {
  const chars = Array.from({ length: 16 }, () => ALPHABET[randomInt(ALPHABET.length)]);
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join("")).join("-");
}

/**
 * While no administrator exists, makes a fresh one-time setup code, stores only its hash and
 * returns it for the server log (as Jenkins does). Returns null once an administrator exists.
 */
export async function issueSetupCode(): Promise<string | null> {
  if ((await db.user.count()) > 0) return null;
  const code = newCode();
  const codeHash = hash(code).toString("hex");
  await db.setupCode.upsert({
    where: { id: 1 },
    create: { id: 1, codeHash },
    update: { codeHash, createdAt: new Date(), usedAt: null },
  });
  return code;
}

export async function setupAvailable(): Promise<boolean> {
  if ((await db.user.count()) > 0) return false;
  const row = await db.setupCode.findUnique({ where: { id: 1 } });
  return Boolean(row && !row.usedAt);
}

/**
 * Uses the setup code once: true only for the right, unused code while no administrator exists.
 * The conditional update makes two simultaneous submissions race safely: one wins.
 */
export async function consumeSetupCode(code: string): Promise<boolean> {
  const row = await db.setupCode.findUnique({ where: { id: 1 } });
  if (!row || row.usedAt) return false;
  const expected = Buffer.from(row.codeHash, "hex");
  const given = hash(code);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return false;
  const { count } = await db.setupCode.updateMany({
    where: { id: 1, usedAt: null, codeHash: row.codeHash },
    data: { usedAt: new Date() },
  });
  return count === 1 && (await db.user.count()) === 0;
}
