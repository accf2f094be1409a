/**
 * `npm start`: builds when needed (scripts/build-if-needed.mjs), then runs the compiled HTTPS server
 * in this process. SKIP_BUILD=1 skips the check (the caller built already).
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { buildIfNeeded, SERVER_BUNDLE } from "./build-if-needed.mjs";

if (process.env.SKIP_BUILD !== "1") buildIfNeeded();
if (!existsSync(SERVER_BUNDLE)) {
  console.error(`Mail Connect could not start: no compiled server at ${SERVER_BUNDLE} (run npm run build).`);
  process.exit(1);
}
await import(pathToFileURL(path.resolve(SERVER_BUNDLE)).href);
