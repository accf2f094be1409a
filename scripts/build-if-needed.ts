import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";

/**
 * `npm start` builds when there is no production build or the sources changed since the last one
 * (a fingerprint of file names, sizes and modification times of what `next build` reads).
 */
const INPUTS = [
  "app",
  "lib",
  "public",
  "instrumentation.ts",
  "next.config.ts",
  "tsconfig.json",
  "package-lock.json",
  "proxy.ts",
];
const SKIP = new Set(["node_modules", ".next", "generated", "data"]);

function walk(entry: string, out: string[]): void {
  if (!existsSync(entry)) return;
  const stat = statSync(entry);
  if (stat.isDirectory()) {
    for (const name of readdirSync(entry).sort()) if (!SKIP.has(name)) walk(path.join(entry, name), out);
  } else {
    out.push(`${entry}:${stat.size}:${stat.mtimeMs}`);
  }
}

export function sourceFingerprint(): string {
  const lines: string[] = [];
  for (const input of INPUTS) walk(input, lines);
  return createHash("sha256").update(lines.join("\n")).digest("hex");
}

const DIST = process.env.NEXT_DIST_DIR || ".next";
const STAMP = path.join(DIST, "mail-connect-build-fingerprint");

export function buildIfNeeded(): void {
  const fingerprint = sourceFingerprint();
  const built =
    existsSync(path.join(DIST, "BUILD_ID")) && existsSync(STAMP) && readFileSync(STAMP, "utf8") === fingerprint;
  if (built) return;
  console.log("Building the app (next build)…");
  const result = spawnSync("npx", ["next", "build"], {
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) {
    console.error("next build failed; see the output above.");
    process.exit(result.status ?? 1);
  }
  writeFileSync(STAMP, fingerprint);
}
