import "server-only";
import { readFileSync } from "node:fs";
import path from "node:path";
import packageJson from "@/package.json";

/** A commit id as `git rev-parse` prints it (short or full). */
const COMMIT = /^[0-9a-f]{7,40}$/i;

export type BuildInfo = { version: string; commit: string | null };

/**
 * The running version (package.json) and the commit it was built from: MAIL_CONNECT_COMMIT when set,
 * else the `BUILD_COMMIT` file `npm run build` writes into the build directory from a git checkout;
 * null when neither is known. Shown to signed-in admins only (the footer, /api/health).
 */
export function buildInfo(
  env: Record<string, string | undefined> = process.env,
  readCommitFile: () => string | null = defaultCommitFile,
): BuildInfo {
  const fromEnv = env.MAIL_CONNECT_COMMIT?.trim();
  const commit = fromEnv && COMMIT.test(fromEnv) ? fromEnv : (readCommitFile()?.trim() ?? "");
  return { version: packageJson.version, commit: COMMIT.test(commit) ? commit.toLowerCase() : null };
}

let cachedCommitFile: string | null | undefined;

function defaultCommitFile(): string | null {
  if (cachedCommitFile !== undefined) return cachedCommitFile;
  try {
    cachedCommitFile = readFileSync(
      path.join(process.cwd(), process.env.NEXT_DIST_DIR || ".next", "BUILD_COMMIT"),
      "utf8",
    );
  } catch {
    cachedCommitFile = null;
  }
  return cachedCommitFile;
}
