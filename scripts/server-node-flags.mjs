import { readFileSync } from "node:fs";

/**
 * The Node.js flags the server runs with, written once: in package.json's "start" script
 * (`node <flags> scripts/start.mjs`). The launchers that start the server as `process.execPath`
 * directly (the sandbox stack, the two-instance tests, the benchmarks) run what follows `node` there:
 * `serverStartArgs()`.
 *
 * - `--max-semi-space-size=2`: a 2 MB young generation (V8's default grows it to 16 MB per semi-space,
 *   pages the idle server keeps resident; a request of Email Settings allocates far less than that).
 * - `--v8-pool-size=1`: one V8 background thread (the default is four). A thread that finds a glibc
 *   malloc arena locked moves to an arena of its own, and an arena keeps what was freed in it: fewer
 *   threads allocating at once, fewer arenas holding freed memory.
 * Together they hold the idle server about 18 MB lower (`npm run bench:startup`: 138–143 → 121–125 MB).
 * Email Settings' median time to first byte stays within its run-to-run spread (100 signed-in requests:
 * 23–25 ms without, 20–28 ms with); the relay's throughput ratio
 * and added p95 are unchanged (`npm run bench:relay`: 0.99, 9 ms).
 */
export function serverStartArgs() {
  const packageJson = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
  const words = String(packageJson.scripts?.start ?? "").split(/\s+/);
  if (words[0] !== "node" || words.at(-1) !== "scripts/start.mjs") {
    throw new Error('package.json\'s "start" script must be "node <flags> scripts/start.mjs"');
  }
  return words.slice(1);
}

/** The flags alone (a process that runs the server's code without scripts/start.mjs, e.g. the relay benchmark's). */
export function serverNodeFlags() {
  return serverStartArgs().slice(0, -1);
}
