import { mkdirSync } from "node:fs";
import path from "node:path";

/** The one directory that holds the SQLite database, the key file and the generated certificate. */
export function dataDir(): string {
  const dir = path.resolve(/*turbopackIgnore: true*/ process.env.DATA_DIR || "data");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

export function dataPath(...parts: string[]): string {
  return path.join(/*turbopackIgnore: true*/ dataDir(), ...parts);
}
