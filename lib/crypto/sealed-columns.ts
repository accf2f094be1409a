import "server-only";
import { appSecretContext } from "@/lib/crypto/auth-secrets";
import { verifierContext } from "@/lib/microsoft/oauth-state";
import { webhookSecretContext } from "@/lib/monitor/monitor-settings-repository";
import { cacheEncryptionContext } from "@/lib/microsoft/token-cache-plugin";
import { secretContext } from "@/lib/settings/email-repository";
import { SECRET_COLUMNS } from "@/lib/settings/email-columns";
import type { SecretField } from "@/lib/settings/client-safe/requirements";

/**
 * Every column that holds a ciphertext of lib/crypto/secret-box.ts, with the encryption context of
 * each row: what `npm run key:rotate` re-encrypts. A new encrypted column is added here (a test
 * compares this list with the schema's `…Enc` columns).
 */
export type SealedColumn = {
  table: string;
  /** The primary key column(s). */
  key: string[];
  column: string;
  /** Other columns the context is made of. */
  reads?: string[];
  context: (row: Record<string, unknown>) => string;
};

export const SEALED_COLUMNS: SealedColumn[] = [
  ...(Object.entries(SECRET_COLUMNS) as [SecretField, string][]).map(([name, column]) => ({
    table: "EmailSettings",
    key: ["id"],
    column,
    context: () => secretContext(name),
  })),
  {
    table: "OAuthConnection",
    key: ["id"],
    column: "cacheEnc",
    reads: ["account"],
    context: (row) => cacheEncryptionContext(String(row.account)),
  },
  {
    table: "OAuthState",
    key: ["id"],
    column: "verifierEnc",
    reads: ["stateHash"],
    context: (row) => verifierContext(String(row.stateHash)),
  },
  {
    table: "MonitorSettings",
    key: ["id"],
    column: "webhookSecretEnc",
    reads: ["webhookUrl"],
    context: (row) => webhookSecretContext(String(row.webhookUrl)),
  },
  { table: "AppSecret", key: ["name"], column: "valueEnc", context: (row) => appSecretContext(String(row.name)) },
];
