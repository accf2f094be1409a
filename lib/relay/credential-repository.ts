import "server-only";
import net from "node:net";
import { db } from "@/lib/db/client";
import { forgetRecentRead, recentRead } from "@/lib/db/recent-read";
import type { RelayCredential } from "@/lib/db/generated/sqlite/client";
import { ExpectedError } from "@/lib/errors/expected-error";
import type { RelayCredentialValues } from "@/lib/relay/client-safe/credential-schema";
import {
  generateRelaySecret,
  hashRelaySecret,
  relayHmacKey,
  relaySecretMatches,
  secretHint,
} from "@/lib/relay/credential-secret";

/** Every RelayCredential read and write. The secret leaves this module only once, on create/rotate. */

export type StoredCredential = {
  id: string;
  name: string;
  allowedFrom: string[];
  allowedCidrs: string[];
  ratePerMinute: number;
  revoked: boolean;
  /** The mailboxes the IMAP gateway may open with this credential (none until set on the Relay page). */
  imapMailboxes: string[];
};

export class CredentialNameTakenError extends ExpectedError {
  constructor(name: string) {
    super(`A relay credential named "${name}" exists already: choose another name.`);
    this.name = "CredentialNameTakenError";
  }
}

function parseList(json: string): string[] {
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
}

function stored(row: RelayCredential): StoredCredential {
  return {
    id: row.id,
    name: row.name,
    allowedFrom: parseList(row.allowedFrom),
    allowedCidrs: parseList(row.allowedCidrs),
    ratePerMinute: row.ratePerMinute,
    revoked: row.revokedAt !== null,
    imapMailboxes: parseList(row.imapMailboxes),
  };
}

/** A CIDR list as a BlockList; a malformed entry (refused by the schema) matches nothing. */
export function sourceAllowed(cidrs: string[], address: string): boolean {
  if (cidrs.length === 0) return true;
  const plain = address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, "");
  const family = net.isIPv6(plain) ? "ipv6" : "ipv4";
  const list = new net.BlockList();
  for (const cidr of cidrs) {
    const [addr, bits] = cidr.split("/");
    const fam = net.isIPv6(addr) ? "ipv6" : "ipv4";
    try {
      if (bits === undefined) list.addAddress(addr, fam);
      else list.addSubnet(addr, Number(bits), fam);
    } catch {
      // skip
    }
  }
  return list.check(plain, family);
}

export async function createCredential(
  values: RelayCredentialValues,
  createdBy: string,
): Promise<{ credential: StoredCredential; secret: string }> {
  const secret = generateRelaySecret();
  const key = await relayHmacKey();
  try {
    const row = await db.relayCredential.create({
      data: {
        name: values.name,
        secretHash: hashRelaySecret(secret, key),
        secretHint: secretHint(secret),
        allowedFrom: JSON.stringify(values.allowedFrom),
        allowedCidrs: JSON.stringify(values.allowedCidrs),
        ratePerMinute: values.ratePerMinute,
        createdBy,
      },
    });
    return { credential: stored(row), secret };
  } catch (error) {
    if (/Unique constraint|P2002/.test(String((error as Error)?.message ?? error)))
      throw new CredentialNameTakenError(values.name);
    throw error;
  }
}

/** A new secret for an active credential (the old one stops working at once); null when there is none. */
export async function rotateCredential(id: string): Promise<{ credential: StoredCredential; secret: string } | null> {
  const secret = generateRelaySecret();
  const key = await relayHmacKey();
  const { count } = await db.relayCredential.updateMany({
    where: { id, revokedAt: null },
    data: { secretHash: hashRelaySecret(secret, key), secretHint: secretHint(secret), rotatedAt: new Date() },
  });
  if (count === 0) return null;
  const row = await db.relayCredential.findUnique({ where: { id } });
  return row ? { credential: stored(row), secret } : null;
}

export async function revokeCredential(id: string): Promise<StoredCredential | null> {
  const { count } = await db.relayCredential.updateMany({
    where: { id, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  forgetRecentRead(`relay-credential:${id}`);
  if (count === 0) return null;
  const row = await db.relayCredential.findUnique({ where: { id } });
  return row ? stored(row) : null;
}

/** The active credential whose name and secret these are, or null (unknown, revoked or wrong secret). */
export async function verifyCredential(name: string, secret: string): Promise<StoredCredential | null> {
  const key = await relayHmacKey();
  const row = await db.relayCredential.findUnique({ where: { name: name.trim().toLowerCase() } });
  if (!row || row.revokedAt) {
    hashRelaySecret(secret, key); // same work either way
    return null;
  }
  return relaySecretMatches(secret, row.secretHash, key) ? stored(row) : null;
}

/**
 * The active credential whose secret this is, or null: the IMAP gateway's LOGIN names the mailbox, not
 * the credential. The keyed HMAC is deterministic, so the lookup is by hash (the key never leaves the server).
 */
export async function verifySecret(secret: string): Promise<StoredCredential | null> {
  if (!secret) return null;
  const key = await relayHmacKey();
  const row = await db.relayCredential.findFirst({
    where: { secretHash: hashRelaySecret(secret, key), revokedAt: null },
  });
  return row && relaySecretMatches(secret, row.secretHash, key) ? stored(row) : null;
}

/** The IMAP gateway's mailbox scope of an active credential; null when there is none. */
export async function setImapMailboxes(id: string, mailboxes: string[]): Promise<StoredCredential | null> {
  const { count } = await db.relayCredential.updateMany({
    where: { id, revokedAt: null },
    data: { imapMailboxes: JSON.stringify(mailboxes) },
  });
  if (count === 0) return null;
  const row = await db.relayCredential.findUnique({ where: { id } });
  return row ? stored(row) : null;
}

/** Whether the credential is still active (revoked while a session was open: its next message is refused). */
/**
 * Whether the credential is still active, as read at most a second ago (the relay asks at every MAIL
 * FROM): a revocation in this process counts at once, one on another instance within the second.
 */
export function credentialActive(id: string): Promise<boolean> {
  return recentRead(`relay-credential:${id}`, 1000, async () => {
    const row = await db.relayCredential.findUnique({ where: { id }, select: { revokedAt: true } });
    return Boolean(row && !row.revokedAt);
  });
}

export async function recordCredentialUse(id: string, from: string, error: string | null): Promise<void> {
  const now = new Date();
  await db.relayCredential.update({
    where: { id },
    data: { lastUsedAt: now, lastUsedFrom: from, ...(error ? { lastError: error, lastErrorAt: now } : {}) },
  });
}

export async function recordCredentialError(id: string, error: string): Promise<void> {
  await db.relayCredential.update({ where: { id }, data: { lastError: error, lastErrorAt: new Date() } });
}

export type CredentialView = {
  id: string;
  name: string;
  secretHint: string;
  allowedFrom: string[];
  allowedCidrs: string[];
  ratePerMinute: number;
  createdAt: string;
  createdBy: string;
  rotatedAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
  lastUsedFrom: string | null;
  lastError: string | null;
  lastErrorAt: string | null;
  imapMailboxes: string[];
};

/** The page's list (newest first), without any secret. */
export async function listCredentials(): Promise<CredentialView[]> {
  const rows = await db.relayCredential.findMany({ orderBy: [{ revokedAt: "asc" }, { createdAt: "desc" }] });
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    secretHint: r.secretHint,
    allowedFrom: parseList(r.allowedFrom),
    allowedCidrs: parseList(r.allowedCidrs),
    ratePerMinute: r.ratePerMinute,
    createdAt: r.createdAt.toISOString(),
    createdBy: r.createdBy,
    rotatedAt: iso(r.rotatedAt),
    revokedAt: iso(r.revokedAt),
    lastUsedAt: iso(r.lastUsedAt),
    lastUsedFrom: r.lastUsedFrom,
    lastError: r.lastError,
    lastErrorAt: iso(r.lastErrorAt),
    imapMailboxes: parseList(r.imapMailboxes),
  }));
}
