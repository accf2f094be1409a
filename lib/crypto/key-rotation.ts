import "server-only";
import { db } from "@/lib/db/client";
import { placeholders, quoteName } from "@/lib/db/raw-sql";
import { APP_SECRET_NAMES } from "@/lib/crypto/auth-secrets";
import { currentKey, keyRing } from "@/lib/crypto/key-ring";
import { decryptSecret, encryptSecret, sealedKeyId } from "@/lib/crypto/secret-box";
import { SEALED_COLUMNS, type SealedColumn } from "@/lib/crypto/sealed-columns";

/**
 * Re-encrypts every secret at rest with the ring's first key, in one transaction: either every
 * ciphertext names the new key afterwards, or nothing changed. Refuses (changing nothing) when a
 * ciphertext does not open with any key of the ring — the key in use is not in it, or the data were
 * altered — so a mistyped key can never leave secrets that nobody can read.
 */

export class KeyRotationRefused extends Error {
  constructor(readonly unreadable: string[]) {
    super(
      `Refused: ${unreadable.length} stored secret(s) do not decrypt with any key of the ring (${unreadable
        .slice(0, 5)
        .join(
          ", ",
        )}${unreadable.length > 5 ? ", …" : ""}). Put the key in use now in the ring, after the new key. Nothing was changed.`,
    );
    this.name = "KeyRotationRefused";
  }
}

export type ColumnReport = { column: string; rotated: number; current: number };
export type RotationReport = { keyId: string; ring: string[]; columns: ColumnReport[]; rotated: number };
export type KeyUsage = Record<string, number>;

type Tx = Pick<typeof db, "$queryRawUnsafe" | "$executeRawUnsafe">;
type Row = Record<string, unknown>;

const q = quoteName;

async function sealedRows(tx: Tx, col: SealedColumn): Promise<Row[]> {
  const columns = [...col.key, ...(col.reads ?? []), col.column].map(q).join(", ");
  return tx.$queryRawUnsafe<Row[]>(`SELECT ${columns} FROM ${q(col.table)} WHERE ${q(col.column)} IS NOT NULL`);
}

const label = (col: SealedColumn, row: Row) => `${col.table}.${col.column}[${col.key.map((k) => row[k]).join(",")}]`;

/** How many ciphertexts name each key id ("v1": the format without one). */
export async function keyUsage(): Promise<KeyUsage> {
  const usage: KeyUsage = {};
  for (const col of SEALED_COLUMNS) {
    for (const row of await sealedRows(db, col)) {
      const id = sealedKeyId(String(row[col.column])) ?? "v1";
      usage[id] = (usage[id] ?? 0) + 1;
    }
  }
  return usage;
}

export class AppSecretsMissing extends Error {
  constructor(missing: string[]) {
    super(
      `Refused: the session and relay secrets (${missing.join(", ")}) are not stored yet. Start Mail Connect once with the key in use (it stores them), then rotate. Nothing was changed.`,
    );
    this.name = "AppSecretsMissing";
  }
}

export async function rotateKeys(options: { timeoutMs?: number } = {}): Promise<RotationReport> {
  const stored = new Set((await db.appSecret.findMany({ select: { name: true } })).map((r) => r.name));
  const missing = APP_SECRET_NAMES.filter((name) => !stored.has(name));
  if (missing.length > 0) throw new AppSecretsMissing(missing);
  const target = currentKey();
  const p = placeholders();
  const columns = await db.$transaction(
    async (tx) => {
      const unreadable: string[] = [];
      const plan: { col: SealedColumn; row: Row; plaintext: string | null }[] = [];
      for (const col of SEALED_COLUMNS) {
        for (const row of await sealedRows(tx, col)) {
          const sealed = String(row[col.column]);
          try {
            const plaintext = decryptSecret(sealed, col.context(row));
            plan.push({ col, row, plaintext: sealedKeyId(sealed) === target.id ? null : plaintext });
          } catch {
            unreadable.push(label(col, row));
          }
        }
      }
      if (unreadable.length > 0) throw new KeyRotationRefused(unreadable);
      const report = new Map<string, ColumnReport>();
      for (const { col, row, plaintext } of plan) {
        const name = `${col.table}.${col.column}`;
        const entry = report.get(name) ?? { column: name, rotated: 0, current: 0 };
        report.set(name, entry);
        if (plaintext === null) {
          entry.current++;
          continue;
        }
        const where = col.key.map((k, i) => `${q(k)} = ${p(i + 2)}`).join(" AND ");
        // Compare-and-set: a value another instance replaced meanwhile is left as it is (and counted).
        const changed = await tx.$executeRawUnsafe(
          `UPDATE ${q(col.table)} SET ${q(col.column)} = ${p(1)} WHERE ${where} AND ${q(col.column)} = ${p(col.key.length + 2)}`,
          encryptSecret(plaintext, col.context(row), target.dataKey),
          ...col.key.map((k) => row[k]),
          row[col.column],
        );
        if (changed === 1) entry.rotated++;
      }
      return [...report.values()];
    },
    { timeout: options.timeoutMs ?? 120_000, maxWait: 10_000 },
  );
  return {
    keyId: target.id,
    ring: keyRing().map((k) => k.id),
    columns,
    rotated: columns.reduce((n, c) => n + c.rotated, 0),
  };
}
