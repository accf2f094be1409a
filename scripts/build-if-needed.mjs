import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * `npm start` builds when there is no production build or the sources changed since the last one
 * (a fingerprint of file names, sizes and modification times of what `npm run build` reads).
 */
const INPUTS = [
  "app",
  "lib",
  "public",
  "instrumentation.ts",
  "next.config.mjs",
  "tsconfig.json",
  "package-lock.json",
  "proxy.ts",
  "scripts/server.ts",
  "scripts/build.mjs",
];
const SKIP = new Set(["node_modules", ".next", "generated", "data"]);

function walk(entry, out) {
  if (!existsSync(entry)) return;
  const stat = statSync(entry);
  if (stat.isDirectory()) {
    for (const name of readdirSync(entry).sort()) if (!SKIP.has(name)) walk(path.join(entry, name), out);
  } else {
    out.push(`${entry}:${stat.size}:${stat.mtimeMs}`);
  }
}

export function sourceFingerprint() {
  const lines = [];
  for (const input of INPUTS) walk(input, lines);
  return createHash("sha256").update(lines.join("\n")).digest("hex");
}

export const DIST = process.env.NEXT_DIST_DIR || ".next";
/** The custom HTTPS server, compiled from scripts/server.ts. */
export const SERVER_BUNDLE = path.join(DIST, "mail-connect-server.mjs");
export const FINGERPRINT_FILE = path.join(DIST, "mail-connect-build-fingerprint");

export function isBuilt() {
  return (
    existsSync(path.join(DIST, "BUILD_ID")) &&
    existsSync(SERVER_BUNDLE) &&
    existsSync(FINGERPRINT_FILE) &&
    readFileSync(FINGERPRINT_FILE, "utf8") === sourceFingerprint()
  );
}

export function buildIfNeeded() {
  if (isBuilt()) return;
  const result = spawnSync(process.execPath, [fileURLToPath(new URL("build.mjs", import.meta.url))], {
    stdio: "inherit",
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
