import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The app reaches the Microsoft 365 sandbox only through configuration (the Custom cloud), as it
 * reaches a tenant: no file of app/ or lib/ other than a test imports the sandbox package.
 */
const root = path.resolve(import.meta.dirname, "..");
const isTest = (file: string) => /\.(test|itest)\.tsx?$/.test(file);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "generated" ? [] : sourceFiles(file);
    return /\.(ts|tsx|mts|js|mjs)$/.test(entry.name) && !isTest(entry.name) ? [file] : [];
  });
}

describe("the app does not depend on the sandbox", () => {
  it("no non-test file of app/ or lib/ names the sandbox package or its folder", () => {
    const files = ["app", "lib"].flatMap((dir) => sourceFiles(path.join(root, dir)));
    expect(files.length).toBeGreaterThan(50);
    const hits = files.filter((file) => /m365-sandbox|e2e\/sandbox/.test(readFileSync(file, "utf8")));
    expect(hits.map((file) => path.relative(root, file))).toEqual([]);
  });
});
