/**
 * `npm run build`: `next build`, then the custom HTTPS server (scripts/server.ts and what it imports)
 * compiled to one plain JavaScript file next to the build (node_modules stay external), so that
 * `npm start` runs no TypeScript loader. Writes the source fingerprint `npm start` compares.
 */
import { spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";
import { FINGERPRINT_FILE, SERVER_BUNDLE, sourceFingerprint } from "./build-if-needed.mjs";

process.env.NEXT_TELEMETRY_DISABLED = "1";
const fingerprint = sourceFingerprint(); // before building: an edit made meanwhile rebuilds next time

console.log("Building the app (next build)…");
const next = spawnSync(process.execPath, [path.resolve("node_modules/next/dist/bin/next"), "build"], {
  stdio: "inherit",
});
if (next.status !== 0) {
  console.error("next build failed; see the output above.");
  process.exit(next.status ?? 1);
}

await build({
  entryPoints: ["scripts/server.ts"],
  outfile: SERVER_BUNDLE,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  tsconfig: "tsconfig.json",
  logLevel: "warning",
});
console.log(`Compiled the HTTPS server: ${SERVER_BUNDLE}`);
writeFileSync(FINGERPRINT_FILE, fingerprint);

// The commit the build was made from, when this is a git checkout (the footer and /api/health show it;
// MAIL_CONNECT_COMMIT at start takes precedence, e.g. for an image built without .git).
if (existsSync(".git")) {
  const git = spawnSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" });
  const commit = git.status === 0 ? git.stdout.trim() : "";
  if (/^[0-9a-f]{7,40}$/.test(commit)) {
    writeFileSync(path.join(process.env.NEXT_DIST_DIR || ".next", "BUILD_COMMIT"), `${commit}\n`);
  }
}
