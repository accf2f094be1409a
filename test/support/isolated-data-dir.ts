import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";

// Every test file gets its own DATA_DIR (database, key file), so files can run in parallel.
if (!process.env.KEEP_TEST_DATA_DIR) {
  process.env.DATA_DIR = mkdtempSync(path.join(os.tmpdir(), "mail-connect-test-"));
  delete process.env.DATABASE_URL;
  delete process.env.APP_ENCRYPTION_KEY;
}
